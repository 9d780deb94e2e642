/** Every React Query key in one place, so invalidation never misses a spelling. */
export const queryKeys = {
  cutovers: () => ["cutovers"] as const,
  cutover: (id: string) => ["cutovers", id] as const,
};
