/** How many rows each table gets for a target size. */
export interface SeedPlan {
  customers: number;
  products: number;
  orders: number;
  documents: number;
}

// Measured on-disk cost (heap + TOAST + indexes) of one row, items included for an order
// (about four per order). Recalibrate if the generated rows change shape.
const BYTES_PER_ORDER = 520;
const BYTES_PER_DOCUMENT = 1_440;
const BYTES_PER_CUSTOMER = 165;
const MB = 1024 * 1024;

/** Size grows through orders (half) and documents (two fifths); customers and products stay modest. */
export function planForScale(scaleMb: number): SeedPlan {
  const bytes = scaleMb * MB;
  const customers = Math.max(50, Math.round((bytes * 0.05) / BYTES_PER_CUSTOMER));
  return {
    customers,
    products: Math.min(5_000, 50 + Math.round(scaleMb * 20)),
    orders: Math.max(20, Math.round((bytes * 0.5) / BYTES_PER_ORDER)),
    documents: Math.max(10, Math.round((bytes * 0.4) / BYTES_PER_DOCUMENT)),
  };
}

/** [from, to] id ranges of at most `size` ids covering 1..total. */
export function batches(total: number, size: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let from = 1; from <= total; from += size) out.push([from, Math.min(total, from + size - 1)]);
  return out;
}
