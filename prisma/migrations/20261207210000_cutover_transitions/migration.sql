-- The cutover's own status (draft, live, done, archived) gets an append-only history like the
-- runs': one row per change, written with the change and its audit event. Idempotent.

CREATE TABLE IF NOT EXISTS "cutover_transitions" (
  "id" BIGSERIAL NOT NULL,
  "cutover_id" UUID NOT NULL,
  "run_id" UUID,
  "from_status" TEXT,
  "to_status" TEXT NOT NULL,
  "reason" TEXT NOT NULL DEFAULT '',
  "actor" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "cutover_transitions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX IF NOT EXISTS "cutover_transitions_cutover_id_id_idx" ON "cutover_transitions"("cutover_id", "id");

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'cutover_transitions_cutover_id_fkey') THEN
    ALTER TABLE "cutover_transitions" ADD CONSTRAINT "cutover_transitions_cutover_id_fkey" FOREIGN KEY ("cutover_id")
      REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  END IF;
END $$;
