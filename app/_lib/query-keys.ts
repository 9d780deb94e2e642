/** Every React Query key in one place, so invalidation never misses a spelling. */
export const queryKeys = {
  me: () => ["me"] as const,
  cutovers: () => ["cutovers"] as const,
  cutover: (id: string) => ["cutovers", id] as const,
  herokuApps: () => ["heroku-apps"] as const,
  appSource: (id: string) => ["heroku-apps", id, "source"] as const,
  run: (id: string) => ["runs", id] as const,
  rollbackPreview: (id: string) => ["runs", id, "rollback-preview"] as const,
  audit: (filters: Record<string, string>) => ["audit", filters] as const,
};
