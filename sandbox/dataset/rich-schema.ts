// What real Rails and Django apps carry besides plain tables, and where copy paths break: enums
// and arrays of them, composite types, domains, extension types (citext, hstore; created by the
// platform in heroku_ext, so always named with their schema here, whatever the search_path),
// generated columns, a partitioned table, a table without a primary key, a materialized view,
// TOASTed rows, a standalone sequence, quoted identifiers, a second schema, comments, collations.

/** A table outside the plain shop: schema and name as the catalog spells them. */
export interface DatasetRelation {
  schema: string;
  name: string;
}

/** Tables that hold rows, besides DATASET_TABLES: leaf partitions included, the partitioned parent not. */
export const DATASET_EXTRA_TABLES: readonly DatasetRelation[] = [
  { schema: "public", name: "shipments" },
  { schema: "public", name: "events_2024" },
  { schema: "public", name: "events_2025" },
  { schema: "public", name: "events_default" },
  { schema: "public", name: "audit_trail" },
  { schema: "public", name: "attachments" },
  { schema: "public", name: "LegacyImport" },
  { schema: "billing", name: "invoices" },
  { schema: "billing", name: "payments" },
];
/** Partitioned parents: they hold no rows themselves, COPY cannot read or write them. */
export const DATASET_PARTITIONED: readonly DatasetRelation[] = [{ schema: "public", name: "events" }];
export const DATASET_MATVIEWS: readonly DatasetRelation[] = [{ schema: "public", name: "daily_revenue" }];
/** A sequence no column owns (invoice numbers), advanced by the fill. */
export const DATASET_STANDALONE_SEQUENCE: DatasetRelation = { schema: "public", name: "invoice_number_seq" };
export const DATASET_SCHEMAS = ["public", "billing"] as const;

/** `"schema"."name"`, for SQL. */
export const sqlName = (r: DatasetRelation) => `"${r.schema.replace(/"/g, '""')}"."${r.name.replace(/"/g, '""')}"`;

export const CREATE_RICH_TYPES = `
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Invoices and payments, kept apart from the shop';
CREATE TYPE order_channel AS ENUM ('web', 'mobile', 'phone');
-- Added later, as migrations do: label order then differs from creation (OID) order.
ALTER TYPE order_channel ADD VALUE 'kiosk' BEFORE 'phone';
ALTER TYPE order_channel ADD VALUE 'marketplace';
COMMENT ON TYPE order_channel IS 'Where an order was placed';
CREATE TYPE billing.payment_method AS ENUM ('card', 'bank_transfer', 'voucher');
CREATE TYPE postal_address AS (street text, city text, postcode text, country char(2));
COMMENT ON TYPE postal_address IS 'A delivery address as the carrier wants it';
CREATE DOMAIN email_address AS heroku_ext.citext
  CONSTRAINT email_address_shape CHECK (VALUE ~ '^[^@[:space:]]+@[^@[:space:]]+$');
COMMENT ON DOMAIN email_address IS 'Case-insensitive e-mail address';
CREATE DOMAIN billing.money_cents AS bigint CONSTRAINT money_cents_not_negative CHECK (VALUE >= 0);
CREATE COLLATION natural_sort (provider = icu, locale = 'und-u-kn-true');
CREATE COLLATION billing.case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE SEQUENCE invoice_number_seq START 100000 INCREMENT 7;
`;

export const CREATE_RICH_TABLES = `
CREATE TABLE shipments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL,
  channel order_channel NOT NULL,
  past_channels order_channel[] NOT NULL DEFAULT '{}',
  ship_to postal_address NOT NULL,
  stops postal_address[],
  contact email_address,
  labels heroku_ext.citext[],
  attributes heroku_ext.hstore,
  attribute_history heroku_ext.hstore[],
  weight_grams numeric(12, 3) NOT NULL,
  weight_kg numeric GENERATED ALWAYS AS (round(weight_grams / 1000, 3)) STORED,
  delivery_window tstzrange,
  scanned_at timestamptz[],
  transit interval,
  tracking_id uuid NOT NULL DEFAULT gen_random_uuid(),
  origin_ip inet,
  carrier_payload jsonb,
  raw_webhook json,
  token_digest bytea
);
COMMENT ON TABLE shipments IS 'One parcel per shipped order';
COMMENT ON COLUMN shipments.weight_kg IS 'Computed by the database from weight_grams';

CREATE TABLE events (
  id bigserial NOT NULL,
  occurred_at timestamptz NOT NULL,
  kind text NOT NULL,
  customer_id bigint,
  payload jsonb NOT NULL DEFAULT '{}'
) PARTITION BY RANGE (occurred_at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2025-01-01 00:00+00');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01 00:00+00') TO ('2026-01-01 00:00+00');
CREATE TABLE events_default PARTITION OF events DEFAULT;

-- No primary key, and identical rows on purpose: nothing but the values tells them apart.
CREATE TABLE audit_trail (
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  detail jsonb
);

CREATE TABLE attachments (
  id serial PRIMARY KEY,
  name text NOT NULL,
  body text,
  blob bytea
);

CREATE TABLE "LegacyImport" (
  "Id" serial PRIMARY KEY,
  "Weird Name" text COLLATE "und-x-icu" NOT NULL,
  "sortKey" text COLLATE "C",
  "natural" text COLLATE natural_sort,
  "select" text,
  "Amount" double precision,
  imported_on date
);
COMMENT ON TABLE "LegacyImport" IS 'Rows imported from the old system, names and all';
COMMENT ON COLUMN "LegacyImport"."Weird Name" IS 'Sorted as people expect (ICU root collation)';

CREATE TABLE billing.invoices (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  number bigint NOT NULL DEFAULT nextval('invoice_number_seq'),
  customer_id bigint NOT NULL,
  order_id bigint,
  amount billing.money_cents NOT NULL,
  tax_rate numeric(5, 4) NOT NULL,
  currency char(3) NOT NULL DEFAULT 'EUR',
  issued_on date NOT NULL,
  due_after interval NOT NULL DEFAULT '30 days',
  reference text COLLATE billing.case_insensitive
);
CREATE TABLE billing.payments (
  id bigserial PRIMARY KEY,
  invoice_id bigint NOT NULL,
  method billing.payment_method NOT NULL,
  amount billing.money_cents NOT NULL,
  paid_at timestamptz NOT NULL,
  split_amounts numeric[],
  tags text[]
);
`;

export const CREATE_RICH_CONSTRAINTS = `
ALTER TABLE shipments ADD CONSTRAINT shipments_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id);
CREATE INDEX shipments_order_id_idx ON shipments (order_id);
CREATE UNIQUE INDEX shipments_tracking_id_key ON shipments (tracking_id);
CREATE INDEX shipments_attributes_idx ON shipments USING gin (attributes);
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id, occurred_at);
CREATE INDEX events_kind_idx ON events (kind, occurred_at);
CREATE INDEX "LegacyImport_weird_name_idx" ON "LegacyImport" ("Weird Name");
ALTER TABLE billing.invoices ADD CONSTRAINT invoices_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id);
ALTER TABLE billing.invoices ADD CONSTRAINT invoices_order_id_fkey FOREIGN KEY (order_id) REFERENCES public.orders (id);
CREATE UNIQUE INDEX invoices_number_key ON billing.invoices (number);
ALTER TABLE billing.payments ADD CONSTRAINT payments_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES billing.invoices (id) ON DELETE CASCADE;
CREATE INDEX payments_invoice_id_idx ON billing.payments (invoice_id);
`;

// The matview's day is taken in UTC: a refresh on the target must not depend on the session's time zone.
export const CREATE_RICH_VIEWS = `
CREATE FUNCTION billing.outstanding_cents(p_invoice billing.invoices) RETURNS bigint
  LANGUAGE sql STABLE
  BEGIN ATOMIC
    SELECT p_invoice.amount - coalesce((SELECT sum(p.amount) FROM billing.payments p WHERE p.invoice_id = p_invoice.id), 0);
  END;
CREATE VIEW billing.open_invoices AS
  SELECT i.id, i.number, i.customer_id, billing.outstanding_cents(i) AS outstanding_cents
    FROM billing.invoices i WHERE billing.outstanding_cents(i) > 0;
COMMENT ON VIEW billing.open_invoices IS 'Invoices not yet paid in full';
CREATE MATERIALIZED VIEW daily_revenue AS
  SELECT (o.placed_at AT TIME ZONE 'UTC')::date AS day, count(DISTINCT o.id) AS orders,
         sum(oi.quantity::bigint * oi.unit_price_cents) AS revenue_cents
    FROM orders o JOIN order_items oi ON oi.order_id = o.id
   WHERE o.status <> 'cancelled'
   GROUP BY 1;
CREATE UNIQUE INDEX daily_revenue_day_idx ON daily_revenue (day);
COMMENT ON MATERIALIZED VIEW daily_revenue IS 'Revenue per UTC day, refreshed nightly';
`;

export const DROP_RICH = `
DROP MATERIALIZED VIEW IF EXISTS daily_revenue;
DROP SCHEMA IF EXISTS billing CASCADE;
DROP TABLE IF EXISTS shipments, events, audit_trail, attachments, "LegacyImport" CASCADE;
DROP DOMAIN IF EXISTS email_address CASCADE;
DROP TYPE IF EXISTS postal_address, order_channel CASCADE;
DROP COLLATION IF EXISTS natural_sort;
DROP SEQUENCE IF EXISTS invoice_number_seq;
`;
