-- A person's decision on a step the run pauses at (a manual task, an approval inside the run): at
-- most one per attempt, so two people clicking at once cannot both decide. Idempotent.

CREATE TABLE IF NOT EXISTS "step_decisions" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "run_id" UUID NOT NULL,
  "step_run_id" UUID NOT NULL,
  "step_key" TEXT NOT NULL,
  "decision" TEXT NOT NULL,
  "reason" TEXT NOT NULL DEFAULT '',
  "user_id" UUID NOT NULL,
  "actor" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "step_decisions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX IF NOT EXISTS "step_decisions_step_run_id_key" ON "step_decisions"("step_run_id");
CREATE INDEX IF NOT EXISTS "step_decisions_run_id_idx" ON "step_decisions"("run_id");

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'step_decisions_run_id_fkey') THEN
    ALTER TABLE "step_decisions" ADD CONSTRAINT "step_decisions_run_id_fkey" FOREIGN KEY ("run_id")
      REFERENCES "cutover_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'step_decisions_step_run_id_fkey') THEN
    ALTER TABLE "step_decisions" ADD CONSTRAINT "step_decisions_step_run_id_fkey" FOREIGN KEY ("step_run_id")
      REFERENCES "step_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  END IF;
END $$;
