import type pg from "pg";
import { redact } from "@/lib/security/redact";
import type { AppContext, Handler } from "./context";
import { describeDbError } from "./db";
import { escapeHtml, sendHtml } from "./http-kit";
import { countRows, type RowCount } from "./row-counts";

interface HomeData {
  counts: RowCount[];
  orders: Array<{ id: string; customer: string; status: string; placed_at: Date; total_cents: string }>;
  images: Array<{ id: number; name: string }>;
}

const LATEST_ORDERS_SQL = `
  SELECT o.id, c.name AS customer, o.status, o.placed_at, order_total(o.id) AS total_cents
    FROM orders o JOIN customers c ON c.id = o.customer_id
   ORDER BY o.placed_at DESC LIMIT 10`;

async function loadHomeData(pool: pg.Pool): Promise<HomeData> {
  const [counts, orders, images] = await Promise.all([
    countRows(pool),
    pool.query<HomeData["orders"][number]>(LATEST_ORDERS_SQL),
    pool.query<HomeData["images"][number]>("SELECT id, name FROM images ORDER BY id"),
  ]);
  return { counts, orders: orders.rows, images: images.rows };
}

function layout(ctx: AppContext, body: string): string {
  const title = `Switchyard sample — ${escapeHtml(ctx.env.APP_NAME)}`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}
td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}img{margin:4px;border-radius:6px}</style>
</head><body><h1>${title}</h1><p>Served by <code>${escapeHtml(ctx.env.DYNO)}</code>, pid ${process.pid}</p>
${body}</body></html>`;
}

function renderHome(data: HomeData): string {
  const counts = data.counts.map((c) => `<tr><td>${escapeHtml(c.table)}</td><td>${c.estimated ? "≈ " : ""}${c.rows.toLocaleString("en-US")}</td></tr>`);
  const orders = data.orders.map((o) => `<tr><td>#${escapeHtml(o.id)}</td><td>${escapeHtml(o.customer)}</td>`
    + `<td>${escapeHtml(o.status)}</td><td>${escapeHtml(o.placed_at.toISOString())}</td>`
    + `<td>$${(Number(o.total_cents) / 100).toFixed(2)}</td></tr>`);
  const images = data.images.map((i) => `<img src="/images/${i.id}" alt="${escapeHtml(i.name)}" width="64" height="64">`);
  return `<h2>Rows</h2><table>${counts.join("")}</table>
<h2>Latest orders</h2><table><tr><th>Order</th><th>Customer</th><th>Status</th><th>Placed</th><th>Total</th></tr>${orders.join("")}</table>
<h2>Images</h2><div>${images.join("")}</div>`;
}

/** GET /: the page a customer would look at, built entirely from the database. */
export const homePage: Handler = async (_req, res, ctx) => {
  try {
    sendHtml(res, 200, layout(ctx, renderHome(await loadHomeData(ctx.pool))));
  } catch (err) {
    const reason = escapeHtml(redact(describeDbError(err), ctx.secrets));
    sendHtml(res, 503, layout(ctx, `<p><strong>Database unavailable:</strong> ${reason}</p>`));
  }
};
