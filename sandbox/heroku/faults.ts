// Fault injection for rehearsals: latency, error answers (429, 5xx, permanent 4xx) and dropped connections on
// matching requests. `rate` draws from a seeded generator so a test run is repeatable.
import { z } from "zod";

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const FaultRule = z.strictObject({
  method: z.string().regex(/^[A-Za-z]+$/).optional(),
  /** Path prefix, or a regular expression when it starts with `^`. */
  path: z.string().min(1).refine((p) => !p.startsWith("^") || isValidRegex(p), "is not a valid regular expression"),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  /** 429 and 5xx are transient; a 4xx (403, 422 …) is the permanent refusal a client must not retry. */
  status: z.literal([400, 401, 402, 403, 404, 409, 422, 429, 500, 502, 503, 504]).optional(),
  /** The answer's `{id, message}`, as Heroku would word it; defaults per status. */
  id: z.string().regex(/^[a-z_]{1,64}$/).optional(),
  message: z.string().min(1).max(1000).optional(),
  rate: z.number().min(0).max(1).optional(),
  count: z.number().int().min(0).optional(),
  reset: z.boolean().optional(),
});
export type FaultRule = z.infer<typeof FaultRule>;

export const FaultRules = z.array(FaultRule);

/** Parses the SANDBOX_FAULTS variable (a JSON array of rules); errors name the variable. */
export function parseFaultsEnv(text: string): FaultRule[] {
  if (text.trim() === "") return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`SANDBOX_FAULTS is not valid JSON: ${(error as Error).message}`);
  }
  const result = FaultRules.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
  throw new Error(`SANDBOX_FAULTS is not a valid list of fault rules: ${problems.join("; ")}`);
}

export interface FaultDecision {
  latencyMs: number;
  status?: NonNullable<FaultRule["status"]>;
  id?: string;
  message?: string;
  reset: boolean;
}

/** mulberry32: tiny, fast, and good enough to spread a `rate` evenly. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ActiveRule {
  rule: FaultRule;
  regex?: RegExp;
  remaining: number;
}

function matches(active: ActiveRule, method: string, path: string): boolean {
  const { rule } = active;
  if (rule.method && rule.method.toUpperCase() !== method) return false;
  return active.regex ? active.regex.test(path) : path.startsWith(rule.path);
}

export interface FaultInjector {
  set(rules: FaultRule[]): void;
  rules(): FaultRule[];
  /** Latencies of all firing rules add up; the first firing reset/status rule decides the answer. */
  decide(method: string, path: string): FaultDecision;
}

export function createFaultInjector(initial: FaultRule[] = [], seed = 1): FaultInjector {
  let active: ActiveRule[] = [];
  let random = seededRandom(seed);
  const injector: FaultInjector = {
    set(rules) {
      active = FaultRules.parse(rules).map((rule) => ({
        rule,
        regex: rule.path.startsWith("^") ? new RegExp(rule.path) : undefined,
        remaining: rule.count ?? Infinity,
      }));
      random = seededRandom(seed);
    },
    rules: () => active.map((a) => a.rule),
    decide(method, path) {
      const decision: FaultDecision = { latencyMs: 0, reset: false };
      let decided = false;
      for (const entry of active) {
        if (entry.remaining <= 0 || !matches(entry, method, path)) continue;
        if (random() >= (entry.rule.rate ?? 1)) continue;
        entry.remaining -= 1;
        decision.latencyMs += entry.rule.latencyMs ?? 0;
        if (decided || !(entry.rule.reset || entry.rule.status)) continue;
        decided = true;
        decision.reset = entry.rule.reset ?? false;
        decision.status = entry.rule.status;
        decision.id = entry.rule.id;
        decision.message = entry.rule.message;
      }
      return decision;
    },
  };
  injector.set(initial);
  return injector;
}
