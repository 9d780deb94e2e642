import { EditPlan } from "@/app/_components/plan-edit";

export default async function EditCutoverPage({ params }: { params: Promise<{ id: string }> }) {
  return <EditPlan cutoverId={(await params).id} />;
}
