import { z } from "zod";
import { describePgUrl } from "@/lib/pg/url";
import { redact } from "@/lib/security/redact";
import type { Handler } from "./context";
import { describeDbError, inTransaction, orUnavailable, serverIdentity } from "./db";
import { HttpError, readJsonBody, sendJson } from "./http-kit";

const Limit = z.coerce.number().int().min(1).max(100);

/** GET /api/orders?limit=N: the newest orders with their totals. */
export const listOrders: Handler = async (req, res, ctx) => {
  const raw = new URL(req.url ?? "/", "http://localhost").searchParams.get("limit");
  const limit = Limit.safeParse(raw ?? 20);
  if (!limit.success) throw new HttpError(400, "limit must be a whole number from 1 to 100");
  const result = await orUnavailable(ctx.pool.query<{ id: string; customer_id: string; status: string; placed_at: Date; total_cents: string }>(
    `SELECT id, customer_id, status, placed_at, order_total(id) AS total_cents
       FROM orders ORDER BY placed_at DESC LIMIT $1`,
    [limit.data],
  ));
  const orders = result.rows.map((r) => ({
    id: Number(r.id), customerId: Number(r.customer_id), status: r.status,
    placedAt: r.placed_at.toISOString(), totalCents: Number(r.total_cents),
  }));
  sendJson(res, 200, { orders });
};

/** GET /images/:id: bytes from the images table with their stored content type. */
export const getImage: Handler = async (_req, res, ctx, [id]) => {
  if (!/^\d{1,9}$/.test(id ?? "")) throw new HttpError(404, "no such image");
  const result = await orUnavailable(ctx.pool.query<{ content_type: string; data: Buffer }>(
    "SELECT content_type, data FROM images WHERE id = $1", [Number(id)],
  ));
  const image = result.rows[0];
  if (!image) throw new HttpError(404, `no image with id ${id}`);
  res.writeHead(200, { "Content-Type": image.content_type, "Content-Length": image.data.length, "Cache-Control": "no-store" });
  res.end(image.data);
};

/** GET /health: which database answers, from the URL and from the server itself; never the password. */
export const health: Handler = async (_req, res, ctx) => {
  const { host, port, database: name, user } = describePgUrl(ctx.env.DATABASE_URL);
  const base = { dyno: ctx.env.DYNO, pid: process.pid, startedAt: ctx.startedAt };
  try {
    const server = await serverIdentity(ctx.pool);
    const database = { host, port, name, user, currentDatabase: server.database, serverPort: server.port };
    sendJson(res, 200, { ok: true, database, ...base });
  } catch (err) {
    sendJson(res, 503, { ok: false, database: { host, port, name, user }, error: redact(describeDbError(err), ctx.secrets), ...base });
  }
};

const WriteBody = z.object({
  clientId: z.string().min(1).max(200),
  seq: z.number().int().min(0).max(2_147_483_647),
  payload: z.string().max(4_000).optional(),
});

/** POST /api/writes: one row in page_writes; 201 only once COMMIT has returned. */
export const createWrite: Handler = async (req, res, ctx) => {
  const parsed = WriteBody.safeParse(await readJsonBody(req));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HttpError(400, `${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  const { clientId, seq, payload } = parsed.data;
  const row = await orUnavailable(inTransaction(ctx.pool, async (client) => {
    const result = await client.query<{ id: string }>(
      "INSERT INTO page_writes (client_id, seq, payload, dyno) VALUES ($1, $2, $3, $4) RETURNING id",
      [clientId, seq, payload ?? null, ctx.env.DYNO],
    );
    return result.rows[0]!;
  }));
  sendJson(res, 201, { id: Number(row.id), clientId, seq });
};
