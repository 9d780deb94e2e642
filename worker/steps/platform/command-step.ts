import { withClient } from "@/lib/pg/connect";
import { type Fingerprint, fingerprint, fingerprintChanges } from "@/lib/pg/fingerprint";
import { commandKind } from "@/lib/steps/kinds/command";
import type { ParamsOf } from "@/lib/steps/types";
import { permanent } from "../step-error";
import { defineExecutor, type StepContext } from "../types";

type Params = ParamsOf<typeof commandKind>;

// Each run stops at its own timeout (timeoutSeconds, 6 h at most); this backstop covers two runs and the fingerprints.
const BACKSTOP_MS = 2 * 21_600_000 + 600_000;

/**
 * Runs the plan's command on a one-off process of the app, with the app's config as it is after
 * the switch (the target's URL). Its output goes into the run log; a non-zero exit fails the step.
 * "Run twice" proves the seeds' rule: the second run exits 0 and changes nothing on the target.
 * The `$ …` line equivalent to the platform call is logged by the platform's client.
 */
export const commandStep = defineExecutor(commandKind, {
  timeoutMs: BACKSTOP_MS,
  // A failing command fails the same way again; a retry would only repeat it (and its side effects).
  retry: { attempts: 1, backoffMs: 0 },
  idempotent: false,
  async resume(_ctx, { runTwice }) {
    // A proven-idempotent command may simply run again; another may have done part of its work.
    if (!runTwice) {
      throw permanent(
        "the worker stopped while this command was running, so it may or may not have finished; check what it does (the run log has its output so far), then roll back, or fix the plan (\"run twice\" marks a command that is safe to repeat)",
      );
    }
  },
  async run(ctx, params) {
    const first = await runOnce(ctx, params, "");
    if (!params.runTwice) return { output: { process: first.processName, exitStatus: 0, durationMs: first.ms } };
    const before = await targetFingerprint(ctx);
    const second = await runOnce(ctx, params, " (second run)");
    const changes = fingerprintChanges(before, await targetFingerprint(ctx));
    if (changes.length) {
      throw permanent(
        `the command is not idempotent: its second run changed the target (both runs' changes stay; anything else writing to the target meanwhile counts too, so run it while maintenance is on):\n${changes.join("\n")}`,
      );
    }
    const tablesCompared = Object.keys(before.rows).length;
    ctx.log.info(`the second run exited 0 and changed no schema object and no row count (${tablesCompared} tables compared)`);
    return {
      output: { process: first.processName, secondProcess: second.processName, exitStatus: 0, durationMs: first.ms + second.ms, provenIdempotent: true, tablesCompared },
    };
  },
});

async function runOnce(ctx: StepContext, { command, timeoutSeconds }: Params, label: string): Promise<{ processName: string; ms: number }> {
  const started = Date.now();
  const platform = ctx.platform;
  ctx.log.info(`running the command on a one-off process of ${ctx.plan.app.name} with its current config${label} (stopped after ${timeoutSeconds} s)`);
  // The output is the app's own: the run logger redacts the run's secrets in it like every line.
  const result = await platform.runCommand({
    command,
    timeoutMs: timeoutSeconds * 1000,
    signal: ctx.signal,
    onLine: (line) => (line.from === "process" ? ctx.log.write("stdout", line.text) : ctx.log.info(`${platform.label}: ${line.text}`)),
  });
  const ms = Date.now() - started;
  if (result.exitStatus !== 0) {
    throw permanent(`the command exited with status ${result.exitStatus}${label} on ${result.processName} after ${formatSeconds(ms)}; its output is in the run log above`);
  }
  ctx.log.info(`the command exited with status 0${label} on ${result.processName} after ${formatSeconds(ms)}`);
  return { processName: result.processName, ms };
}

/** The target's catalog digest and row counts; a cancel closes the connection at once. */
function targetFingerprint(ctx: StepContext): Promise<Fingerprint> {
  return withClient(ctx.secrets.targetUrl, async (client) => {
    const onAbort = () => void client.end().catch(() => undefined);
    ctx.signal.throwIfAborted();
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await fingerprint(client);
    } finally {
      ctx.signal.removeEventListener("abort", onAbort);
    }
  }, { applicationName: "switchyard-command-step" });
}

const formatSeconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
