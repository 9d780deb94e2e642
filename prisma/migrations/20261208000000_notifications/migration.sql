-- Notifications: per cutover, webhook channels (the URL sealed in "secrets"), an outbox of
-- deliveries written in the same transaction as the change that causes them and sent by the
-- worker, and one calendar feed token (its sha256 only) per cutover. Idempotent.

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'DeliveryStatus') THEN
    CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'delivered', 'failed');
  END IF;
END $$;

CREATE TABLE IF NOT EXISTS "notification_channels" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "cutover_id" UUID NOT NULL,
  "position" INTEGER NOT NULL,
  "name" TEXT NOT NULL,
  "format" TEXT NOT NULL,
  "url_secret_id" UUID NOT NULL,
  "url_display" TEXT NOT NULL,
  "events" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  "window_lead_minutes" INTEGER NOT NULL DEFAULT 30,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "notification_channels_pkey" PRIMARY KEY ("id")
);
CREATE INDEX IF NOT EXISTS "notification_channels_cutover_id_position_idx" ON "notification_channels"("cutover_id", "position");

CREATE TABLE IF NOT EXISTS "notification_deliveries" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "seq" BIGSERIAL NOT NULL,
  "channel_id" UUID NOT NULL,
  "event" TEXT NOT NULL,
  "dedupe_key" TEXT NOT NULL,
  "payload" JSONB NOT NULL,
  "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "last_error" TEXT,
  "last_status_code" INTEGER,
  "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "delivered_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX IF NOT EXISTS "notification_deliveries_channel_id_dedupe_key_key" ON "notification_deliveries"("channel_id", "dedupe_key");
CREATE INDEX IF NOT EXISTS "notification_deliveries_status_next_attempt_at_idx" ON "notification_deliveries"("status", "next_attempt_at");

CREATE TABLE IF NOT EXISTS "calendar_feeds" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "cutover_id" UUID NOT NULL,
  "token_hash" TEXT NOT NULL,
  "prefix" TEXT NOT NULL,
  "created_by_id" UUID,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "calendar_feeds_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX IF NOT EXISTS "calendar_feeds_cutover_id_key" ON "calendar_feeds"("cutover_id");
CREATE UNIQUE INDEX IF NOT EXISTS "calendar_feeds_token_hash_key" ON "calendar_feeds"("token_hash");

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'notification_channels_cutover_id_fkey') THEN
    ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_cutover_id_fkey" FOREIGN KEY ("cutover_id")
      REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'notification_deliveries_channel_id_fkey') THEN
    ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_channel_id_fkey" FOREIGN KEY ("channel_id")
      REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'calendar_feeds_cutover_id_fkey') THEN
    ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_cutover_id_fkey" FOREIGN KEY ("cutover_id")
      REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  END IF;
END $$;
