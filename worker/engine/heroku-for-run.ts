import { emitAudit } from "@/lib/audit/emit";
import { systemActor } from "@/lib/context";
import { commandLine, createHerokuClient, type HerokuClient } from "@/lib/heroku";
import type { EngineDeps } from "./deps";
import type { StepLogger } from "./step-logger";

/**
 * The run's Heroku client: each call is logged as the equivalent CLI line, and each HTTP attempt
 * is audited (method, path, status, request id; never bodies or values) before the step goes on.
 */
export function herokuForRun(deps: EngineDeps, opts: { runId: string; baseUrl: string; token: string; log: () => StepLogger; signal: AbortSignal }): HerokuClient {
  return createHerokuClient({
    baseUrl: opts.baseUrl,
    token: opts.token,
    signal: opts.signal,
    onCall: (call) => opts.log().command(commandLine(call)),
    onRequest: async (record) => {
      if (record.retryInMs !== undefined) {
        opts.log().info(`Heroku answered ${record.status ?? record.error} to ${record.method} ${record.path}; retrying in ${(record.retryInMs / 1000).toFixed(1)} s`);
      }
      await deps.db.$transaction((tx) =>
        emitAudit(tx, {
          actor: systemActor("worker"),
          action: "heroku.request",
          entityType: "cutover_run",
          entityId: opts.runId,
          metadata: record,
          secrets: [opts.token],
          at: deps.now(),
        }),
      );
    },
  });
}
