import type { SandboxInfo } from "./info";

export interface RunningSandbox {
  info: SandboxInfo;
  stop(): Promise<void>;
}

/** Placeholder until the emulator lands: nothing is started, no app is offered. */
export async function startSandbox(_opts: { home: string; port: number }): Promise<RunningSandbox> {
  return { info: { emulatorUrl: "", apiToken: "", apps: [] }, stop: async () => undefined };
}
