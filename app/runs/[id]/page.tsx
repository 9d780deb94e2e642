import { RunView } from "@/app/_components/run-view";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  return <RunView runId={(await params).id} />;
}
