// The state file: loaded once at start, rewritten after every mutation. Writes go to a temp
// file then rename, so a crash never leaves half a file; mode 0600 because it holds DB URLs.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { type EmulatorState, emptyState } from "./state";

export interface StateStore {
  load(): EmulatorState;
  save(state: EmulatorState): void;
}

function looksLikeState(value: unknown): value is EmulatorState {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.version === 1 && ["apps", "addons", "attachments", "transfers"].every((k) => Array.isArray(v[k]));
}

export function createStateStore(file: string): StateStore {
  return {
    load() {
      if (!existsSync(file)) return emptyState();
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, "utf8"));
      } catch (error) {
        throw new Error(`Heroku emulator state file ${file} is not valid JSON: ${(error as Error).message}`);
      }
      if (!looksLikeState(parsed)) throw new Error(`Heroku emulator state file ${file} has an unknown shape (expected version 1).`);
      return parsed;
    },
    save(state) {
      mkdirSync(dirname(file), { recursive: true });
      const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
      try {
        writeFileSync(temp, JSON.stringify(state, null, 2), { mode: 0o600 });
        renameSync(temp, file);
      } finally {
        rmSync(temp, { force: true });
      }
    },
  };
}
