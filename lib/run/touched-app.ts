import type { Tx } from "@/lib/db/client";

/** Steps from which on the live app may have been changed (maintenance mode is the first). */
export const APP_TOUCHING_STEP_KEYS = ["maintenance_on", "scale_down", "write_freeze", "copy", "verify", "switch", "restore_formation", "maintenance_off", "smoke"];

/** True once any step that touches the app has started in this run. */
export async function touchedApp(tx: Tx, runId: string): Promise<boolean> {
  const count = await tx.stepRun.count({
    where: { runId, phase: "forward", stepKey: { in: APP_TOUCHING_STEP_KEYS }, status: { not: "pending" } },
  });
  return count > 0;
}
