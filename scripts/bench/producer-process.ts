import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Finished, Produced, ProducerCommand } from "./log-producer";

type Reply = { type: "ready" } | Produced | Finished;

/** The bench's handle on a log-producer.ts child: send commands, await typed replies. */
export function startProducerProcess() {
  const script = fileURLToPath(new URL("./log-producer.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["pipe", "pipe", "inherit"] });
  const replies: Reply[] = [];
  let wake: (() => void) | null = null;
  let exited = false;
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => ((exited = true), wake?.(), resolve(code))));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    replies.push(JSON.parse(line) as Reply);
    wake?.();
  });

  async function next<T extends Reply["type"]>(type: T): Promise<Extract<Reply, { type: T }>> {
    for (;;) {
      const at = replies.findIndex((r) => r.type === type);
      if (at >= 0) return replies.splice(at, 1)[0] as Extract<Reply, { type: T }>;
      if (exited) throw new Error(`the log producer exited before sending "${type}" (see its error above)`);
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }

  return {
    next,
    send: (cmd: ProducerCommand) => void child.stdin!.write(`${JSON.stringify(cmd)}\n`),
    exit,
    kill: () => void (exited || child.kill("SIGKILL")),
  };
}

export type ProducerProcess = ReturnType<typeof startProducerProcess>;
