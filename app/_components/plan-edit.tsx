"use client";

import { useQuery } from "@tanstack/react-query";
import { apiGet } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { PlanForm, type CutoverDetail } from "./plan-form";
import { Alert, Loading } from "./ui";

export function EditPlan({ cutoverId }: { cutoverId: string }) {
  const cutover = useQuery({ queryKey: queryKeys.cutover(cutoverId), queryFn: () => apiGet<CutoverDetail>(`/api/cutovers/${cutoverId}`), refetchOnWindowFocus: false });
  if (cutover.isPending) return <Loading what="the plan" />;
  if (cutover.error) return <Alert>Could not load the plan: {cutover.error.message}</Alert>;
  return (
    <section aria-labelledby="edit-heading" className="space-y-6">
      <div>
        <h1 id="edit-heading" className="text-2xl font-semibold">
          Edit plan: {cutover.data.name}
        </h1>
        <p className="mt-1 text-sm text-slate-600">Version {cutover.data.version}. Saving creates a new version with a new hash.</p>
      </div>
      {cutover.data.status !== "draft" && <Alert tone="warning">This plan is {cutover.data.status}; only draft plans can be edited.</Alert>}
      <PlanForm cutover={cutover.data} />
    </section>
  );
}
