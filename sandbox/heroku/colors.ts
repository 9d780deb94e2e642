// Auto-assigned attachment names: `HEROKU_POSTGRESQL_<COLOR>` for Postgres add-ons. Colors are
// tried in a fixed order so tests can predict the name.

export const ATTACHMENT_COLORS = [
  "AMBER", "AQUA", "BLACK", "BLUE", "BRONZE", "BROWN", "CHARCOAL", "COBALT", "COPPER", "CRIMSON",
  "CYAN", "GOLD", "GRAY", "GREEN", "IVORY", "JADE", "LIME", "MAGENTA", "MAROON", "MAUVE", "NAVY",
  "OLIVE", "ONYX", "ORANGE", "PINK", "PUCE", "PURPLE", "RED", "ROSE", "SILVER", "TEAL", "VIOLET",
  "WHITE", "YELLOW",
] as const;

/** `heroku-postgresql:standard-0` → `HEROKU_POSTGRESQL`. */
export function attachmentPrefix(plan: string): string {
  const service = plan.split(":")[0] || "addon";
  return service.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

/** First `<PREFIX>_<COLOR>` for which `isTaken` is false; numbered suffixes once all are used. */
export function pickColorName(prefix: string, isTaken: (name: string) => boolean): string {
  for (let round = 1; ; round++) {
    const suffix = round === 1 ? "" : `_${round}`;
    for (const color of ATTACHMENT_COLORS) {
      const name = `${prefix}_${color}${suffix}`;
      if (!isTaken(name)) return name;
    }
  }
}
