import { PlanView } from "@/app/_components/plan-view";

export default async function CutoverPage({ params }: { params: Promise<{ id: string }> }) {
  return <PlanView cutoverId={(await params).id} />;
}
