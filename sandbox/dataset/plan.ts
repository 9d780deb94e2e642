/** How many rows each table gets for a target size. */
export interface SeedPlan {
  customers: number;
  products: number;
  orders: number;
  documents: number;
  /** The typed tables (sandbox/dataset/rich-schema.ts): a tenth of the orders, or fewer. */
  shipments: number;
  events: number;
  auditTrail: number;
  invoices: number;
  legacyImports: number;
  /** Sizes of the few wide attachment rows (TOASTed): up to 3 MB, at least 256 kB. */
  attachmentBytes: number[];
}

// Measured on-disk cost (heap + TOAST + indexes) of one row, items included for an order
// (about four per order). Recalibrate if the generated rows change shape.
const BYTES_PER_ORDER = 520;
const BYTES_PER_DOCUMENT = 1_440;
const BYTES_PER_CUSTOMER = 165;
const MB = 1024 * 1024;

/** Size grows through orders and documents (about three quarters); the typed tables take most of the rest. */
export function planForScale(scaleMb: number): SeedPlan {
  const bytes = scaleMb * MB;
  const customers = Math.max(50, Math.round((bytes * 0.05) / BYTES_PER_CUSTOMER));
  const orders = Math.max(20, Math.round((bytes * 0.375) / BYTES_PER_ORDER));
  const widest = Math.round(Math.min(3 * MB, Math.max(MB / 4, bytes * 0.05)));
  return {
    customers,
    products: Math.min(5_000, 50 + Math.round(scaleMb * 20)),
    orders,
    documents: Math.max(10, Math.round((bytes * 0.295) / BYTES_PER_DOCUMENT)),
    shipments: Math.max(30, Math.round(orders / 10)),
    events: Math.max(40, Math.round(orders / 5)),
    auditTrail: Math.max(20, Math.round(orders / 20)),
    invoices: Math.max(20, Math.round(orders / 10)),
    legacyImports: 200,
    attachmentBytes: [widest, Math.round(widest / 3), Math.round(widest / 6), Math.round(widest / 12)],
  };
}

/** [from, to] id ranges of at most `size` ids covering 1..total. */
export function batches(total: number, size: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let from = 1; from <= total; from += size) out.push([from, Math.min(total, from + size - 1)]);
  return out;
}
