/** `--name value` flags with numeric values; anything unknown or malformed is a clear error. */
export function numericFlags<T extends Record<string, number>>(argv: string[], defaults: T, usage: string): T {
  const out: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]!.replace(/^--/, "");
    const value = Number(argv[i + 1]);
    if (!(name in defaults) || !argv[i]!.startsWith("--")) throw new Error(`unknown option ${argv[i]}; usage: ${usage}`);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number, not ${argv[i + 1] ?? "nothing"}; usage: ${usage}`);
    out[name] = value;
  }
  return out as T;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
