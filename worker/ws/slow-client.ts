/** When a client that is not keeping up gets dropped. */
export interface SlowClientPolicy {
  /** Bytes a client may have queued (not yet taken by its socket) before it counts as behind. */
  maxBufferedBytes: number;
  /** How long it may stay behind: a burst it is reading through is not a slow client. */
  graceMs: number;
}

/** Past this many times the limit a client is dropped at once, grace or not: the worker's memory comes first. */
export const HARD_LIMIT_FACTOR = 4;

export type BacklogVerdict = { send: true; behindSince: number | null } | { send: false };

/** Whether one more frame may be queued for a client holding `buffered` bytes, and since when it has been behind. */
export function judgeBacklog(buffered: number, behindSince: number | null, now: number, policy: SlowClientPolicy): BacklogVerdict {
  if (buffered <= policy.maxBufferedBytes) return { send: true, behindSince: null };
  const since = behindSince ?? now;
  if (buffered > policy.maxBufferedBytes * HARD_LIMIT_FACTOR || now - since >= policy.graceMs) return { send: false };
  return { send: true, behindSince: since };
}
