// Append-only release log per app. A release is created for every config or attachment change.
import { randomUUID } from "node:crypto";
import { type AppRecord, type ReleaseRecord, type Released, now } from "./state";

/** Releases wait for a release phase when the formation has a running `release` process. */
function hasReleasePhase(app: AppRecord): boolean {
  return app.formation.some((f) => f.type === "release" && f.quantity > 0);
}

export function addRelease(app: AppRecord, description: string): Released {
  const last = app.releases[app.releases.length - 1];
  const at = now();
  const release: ReleaseRecord = {
    id: randomUUID(),
    version: (last?.version ?? 0) + 1,
    description,
    status: hasReleasePhase(app) ? "pending" : "succeeded",
    createdAt: at,
    updatedAt: at,
  };
  app.releases.push(release);
  return { app, release };
}

/** Release by id or version number. */
export function findRelease(app: AppRecord, idOrVersion: string): ReleaseRecord | undefined {
  const version = /^\d+$/.test(idOrVersion) ? Number(idOrVersion) : undefined;
  return app.releases.find((r) => r.id === idOrVersion || r.version === version);
}

export function isCurrent(app: AppRecord, release: ReleaseRecord): boolean {
  return app.releases[app.releases.length - 1]?.id === release.id;
}

/** Settles a pending release once the release phase (the onRelease hook) has run. */
export function settleRelease(release: ReleaseRecord, ok: boolean): void {
  if (release.status !== "pending") return;
  release.status = ok ? "succeeded" : "failed";
  release.updatedAt = now();
}
