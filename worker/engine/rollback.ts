import { setTimeout as sleep } from "node:timers/promises";
import { CORE_KEYS, ROLLBACK_KEYS } from "@/lib/steps/core-plan";
import type { PlanStepSpec } from "@/lib/steps/plan-step";
import { withClient } from "@/lib/pg/connect";
import { rowWriteCounter } from "../steps/db/write-counter";
import { rollbackPlan } from "./rollback-plan";
import { runStep, type RunScope } from "./run-step";

export type RollbackEnd = { kind: "done" } | { kind: "failed"; error: string } | { kind: "stopped" };

/** Runs the rollback actions; each is a StepRun of phase rollback and, once succeeded, never repeated. */
export async function runRollback(scope: RunScope, steps: PlanStepSpec[]): Promise<RollbackEnd> {
  const { deps, ctx } = scope;
  const all = await deps.db.stepRun.findMany({ where: { runId: ctx.runId }, orderBy: [{ stepKey: "asc" }, { attempt: "asc" }] });
  const forward = all.filter((s) => s.phase === "forward");
  for (const s of forward) if (s.status === "succeeded" && s.output) ctx.outputs[s.stepKey] = s.output;
  let reported = false;
  for (const action of rollbackPlan(steps, forward)) {
    // Once the app has left the target (maintenance on, switch undone), before customers are back.
    if (!reported && action.key !== ROLLBACK_KEYS.maintenanceOn && !action.undoes) {
      reported = true;
      await reportStrandedWrites(scope);
    }
    const attempts = all.filter((s) => s.phase === "rollback" && s.stepKey === action.key);
    if (attempts.some((a) => a.status === "succeeded")) continue;
    const result = await runStep(scope, {
      key: action.key,
      phase: "rollback",
      title: action.title,
      firstAttempt: (attempts.at(-1)?.attempt ?? 0) + 1,
      attempts: 3,
      backoffMs: 2_000,
      timeoutMs: 600_000,
      run: action.run,
    });
    if (result.kind === "failed") return result;
    if (result.kind === "stopped") return result;
  }
  return { kind: "done" };
}

// Writes customers made on the target after maintenance went off stay there; say how many. A
// session reports its row changes to the statistics only every so often, and always when it
// ends: so count once the app's sessions are gone, and say when some are still connected.
async function reportStrandedWrites(scope: RunScope): Promise<void> {
  const off = scope.ctx.outputs[CORE_KEYS.maintenanceOff] as { targetRowWrites?: number } | undefined;
  if (off?.targetRowWrites === undefined) return;
  try {
    const url = scope.ctx.secrets.targetUrl;
    const connected = await otherSessionsAfter(url, SESSIONS_GONE_WITHIN_MS, scope.ctx.signal);
    const changed = (await rowWriteCounter(url)) - off.targetRowWrites;
    const caveat = connected ? ` (${connected} other session(s) are still connected to the target; their latest changes may not be counted yet)` : "";
    scope.ctx.log.info(`${changed} row(s) changed on the target since maintenance went off${caveat}; they stay on the target and are not copied back`);
  } catch (err) {
    scope.ctx.log.write("stderr", `could not count rows changed on the target: ${(err as Error).message}`);
  }
}

const SESSIONS_GONE_WITHIN_MS = 5_000;

/** Waits (bounded) until no other client is connected to the database; returns how many still are. */
async function otherSessionsAfter(url: string, withinMs: number, signal: AbortSignal): Promise<number> {
  const deadline = Date.now() + withinMs;
  return withClient(url, async (client) => {
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
      );
      if (rows[0]!.n === 0 || Date.now() > deadline || signal.aborted) return rows[0]!.n;
      await sleep(200);
    }
  });
}
