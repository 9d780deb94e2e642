import type { Ctx } from "@/lib/context";
import { authorize } from "@/lib/auth/permissions";

export interface CutoverSummary {
  id: string;
  name: string;
  status: string;
  appName: string;
  windowStartsAt: string | null;
  windowEndsAt: string | null;
  timeZone: string;
  requiredApprovals: number;
  /** Approvals that name the current plan hash; older ones no longer count. */
  approvals: number;
  latestRun: { id: string; kind: string; status: string } | null;
  updatedAt: string;
}

/** Every cutover that is not archived, most recently changed first. */
export async function listCutovers({ ctx }: { ctx: Ctx }): Promise<CutoverSummary[]> {
  authorize(ctx, "cutover.read");
  const rows = await ctx.db.cutover.findMany({
    where: { status: { not: "archived" } },
    orderBy: { updatedAt: "desc" },
    take: 500,
    include: {
      herokuApp: { select: { name: true } },
      signOffs: { where: { decision: "approve" }, select: { planHash: true } },
      runs: { orderBy: { createdAt: "desc" }, take: 1, select: { id: true, kind: true, status: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    status: row.status,
    appName: row.herokuApp.name,
    windowStartsAt: row.windowStartsAt?.toISOString() ?? null,
    windowEndsAt: row.windowEndsAt?.toISOString() ?? null,
    timeZone: row.timeZone,
    requiredApprovals: row.requiredApprovals,
    approvals: row.signOffs.filter((s) => s.planHash === row.planHash).length,
    latestRun: row.runs[0] ?? null,
    updatedAt: row.updatedAt.toISOString(),
  }));
}
