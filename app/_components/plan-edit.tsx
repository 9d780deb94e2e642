"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { apiGet } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { useMe } from "@/app/_lib/use-me";
import { PlanForm, type CutoverDetail } from "./plan-form";
import { Alert, Loading, LoadError } from "./ui";

const ACTIVE = ["queued", "running", "cancelling", "rolling_back"];

export function EditPlan({ cutoverId }: { cutoverId: string }) {
  const { me, can } = useMe();
  // No background refetch: the form edits the version it was opened at (a stale one gets a 409).
  const cutover = useQuery({ queryKey: queryKeys.cutover(cutoverId), queryFn: () => apiGet<CutoverDetail>(`/api/cutovers/${cutoverId}`), refetchOnWindowFocus: false });
  if (cutover.isPending) return <Loading what="the plan" />;
  if (cutover.error) return <LoadError what="the plan" error={cutover.error} retry={() => void cutover.refetch()} />;
  const c = cutover.data;
  const activeRun = c.runs.find((r) => ACTIVE.includes(r.status));
  const blocker =
    me && !can("cutover.edit")
      ? `your role (${me.user.role}) cannot edit plans`
      : c.status !== "draft"
        ? `the plan is ${c.status.replace(/_/g, " ")}; only draft plans can be edited`
        : activeRun
          ? `a ${activeRun.kind} run is ${activeRun.status}; edit the plan when it has finished`
          : null;
  return (
    <section aria-labelledby="edit-heading" className="space-y-6">
      <div>
        <p className="text-sm">
          <Link href={`/cutovers/${c.id}`} className="text-slate-600 underline-offset-2 hover:underline">
            ← Back to the plan
          </Link>
        </p>
        <h1 id="edit-heading" className="mt-1 text-2xl font-semibold">
          Edit plan: {c.name}
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          Version {c.version} (<code>{c.planHash.slice(0, 12)}</code>). Saving creates version {c.version + 1} with a new hash.
        </p>
      </div>
      {blocker ? <Alert tone="warning">This plan cannot be edited now: {blocker}.</Alert> : <PlanForm cutover={c} />}
    </section>
  );
}
