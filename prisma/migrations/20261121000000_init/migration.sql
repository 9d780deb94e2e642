-- Switchyard's initial schema. Idempotent: every statement can run again on a database
-- that already has it (IF NOT EXISTS, or a guard on the catalog), and changes nothing.

-- Enums: CREATE TYPE has no IF NOT EXISTS, so each is guarded by a catalog check.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'Role') THEN
    CREATE TYPE "Role" AS ENUM ('admin', 'operator', 'approver', 'viewer');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'CutoverStatus') THEN
    CREATE TYPE "CutoverStatus" AS ENUM ('draft', 'live', 'done', 'archived');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'RunKind') THEN
    CREATE TYPE "RunKind" AS ENUM ('rehearsal', 'live');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'RunStatus') THEN
    CREATE TYPE "RunStatus" AS ENUM ('queued', 'running', 'cancelling', 'cancelled', 'succeeded',
      'needs_attention', 'failed', 'rolling_back', 'rolled_back', 'rollback_failed');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'StepStatus') THEN
    CREATE TYPE "StepStatus" AS ENUM ('pending', 'running', 'succeeded', 'failed', 'skipped',
      'cancelled', 'abandoned');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'StepPhase') THEN
    CREATE TYPE "StepPhase" AS ENUM ('forward', 'rollback');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'SignOffDecision') THEN
    CREATE TYPE "SignOffDecision" AS ENUM ('approve', 'reject');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'LogStream') THEN
    CREATE TYPE "LogStream" AS ENUM ('stdout', 'stderr', 'system');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'SmokePhase') THEN
    CREATE TYPE "SmokePhase" AS ENUM ('baseline', 'after_switch', 'after_rollback');
  END IF;
END $$;

CREATE TABLE IF NOT EXISTS "users" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "email" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "role" "Role" NOT NULL DEFAULT 'viewer',
  "password_hash" TEXT,
  "disabled_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "users_email_lowercase" CHECK ("email" = lower("email"))
);
CREATE UNIQUE INDEX IF NOT EXISTS "users_email_key" ON "users"("email");

CREATE TABLE IF NOT EXISTS "heroku_apps" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "name" TEXT NOT NULL,
  "api_base_url" TEXT NOT NULL,
  "api_token_secret_id" UUID NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "heroku_apps_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX IF NOT EXISTS "heroku_apps_api_base_url_name_key" ON "heroku_apps"("api_base_url", "name");

CREATE TABLE IF NOT EXISTS "cutovers" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "name" TEXT NOT NULL,
  "heroku_app_id" UUID NOT NULL,
  "status" "CutoverStatus" NOT NULL DEFAULT 'draft',
  "source_addon_id" TEXT,
  "source_addon_name" TEXT,
  "source_attachments" JSONB NOT NULL DEFAULT '[]',
  "target_database_secret_id" UUID,
  "target_database_display" TEXT,
  "smoke_checks" JSONB NOT NULL DEFAULT '[]',
  "options" JSONB NOT NULL DEFAULT '{}',
  "window_starts_at" TIMESTAMPTZ(3),
  "window_ends_at" TIMESTAMPTZ(3),
  "time_zone" TEXT NOT NULL DEFAULT 'UTC',
  "required_approvals" INTEGER NOT NULL DEFAULT 2,
  "version" INTEGER NOT NULL DEFAULT 1,
  "plan_hash" TEXT NOT NULL,
  "created_by_id" UUID,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "cutovers_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "cutovers_window_order" CHECK ("window_ends_at" IS NULL OR "window_starts_at" IS NULL OR "window_ends_at" > "window_starts_at"),
  CONSTRAINT "cutovers_required_approvals_range" CHECK ("required_approvals" BETWEEN 0 AND 20)
);
CREATE INDEX IF NOT EXISTS "cutovers_status_idx" ON "cutovers"("status");

CREATE TABLE IF NOT EXISTS "plan_steps" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "cutover_id" UUID NOT NULL,
  "position" INTEGER NOT NULL,
  "key" TEXT NOT NULL,
  "kind" TEXT NOT NULL,
  "params" JSONB NOT NULL DEFAULT '{}',
  "rollback" JSONB,
  "description" TEXT NOT NULL DEFAULT '',
  CONSTRAINT "plan_steps_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX IF NOT EXISTS "plan_steps_cutover_id_key_key" ON "plan_steps"("cutover_id", "key");
CREATE INDEX IF NOT EXISTS "plan_steps_cutover_id_position_idx" ON "plan_steps"("cutover_id", "position");

CREATE TABLE IF NOT EXISTS "sign_offs" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "cutover_id" UUID NOT NULL,
  "user_id" UUID NOT NULL,
  "plan_hash" TEXT NOT NULL,
  "decision" "SignOffDecision" NOT NULL,
  "comment" TEXT NOT NULL DEFAULT '',
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "sign_offs_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX IF NOT EXISTS "sign_offs_cutover_id_user_id_plan_hash_key" ON "sign_offs"("cutover_id", "user_id", "plan_hash");

CREATE TABLE IF NOT EXISTS "cutover_runs" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "cutover_id" UUID NOT NULL,
  "kind" "RunKind" NOT NULL,
  "plan_snapshot" JSONB NOT NULL,
  "plan_hash" TEXT NOT NULL,
  "status" "RunStatus" NOT NULL DEFAULT 'queued',
  "version" INTEGER NOT NULL DEFAULT 0,
  "claimed_by" TEXT,
  "claimed_at" TIMESTAMPTZ(3),
  "heartbeat_at" TIMESTAMPTZ(3),
  "last_log_seq" INTEGER NOT NULL DEFAULT 0,
  "started_by_id" UUID,
  "cancel_requested_at" TIMESTAMPTZ(3),
  "rollback_requested_at" TIMESTAMPTZ(3),
  "error" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "started_at" TIMESTAMPTZ(3),
  "finished_at" TIMESTAMPTZ(3),
  CONSTRAINT "cutover_runs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX IF NOT EXISTS "cutover_runs_cutover_id_created_at_idx" ON "cutover_runs"("cutover_id", "created_at");
CREATE INDEX IF NOT EXISTS "cutover_runs_status_idx" ON "cutover_runs"("status");
-- At most one unfinished run per cutover: two operators cannot start it twice.
CREATE UNIQUE INDEX IF NOT EXISTS "cutover_runs_one_active_per_cutover" ON "cutover_runs"("cutover_id")
  WHERE "status" IN ('queued', 'running', 'cancelling', 'rolling_back');

CREATE TABLE IF NOT EXISTS "step_runs" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "run_id" UUID NOT NULL,
  "step_key" TEXT NOT NULL,
  "phase" "StepPhase" NOT NULL DEFAULT 'forward',
  "attempt" INTEGER NOT NULL DEFAULT 1,
  "status" "StepStatus" NOT NULL DEFAULT 'pending',
  "version" INTEGER NOT NULL DEFAULT 0,
  "output" JSONB,
  "error" TEXT,
  "heartbeat_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "started_at" TIMESTAMPTZ(3),
  "finished_at" TIMESTAMPTZ(3),
  CONSTRAINT "step_runs_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX IF NOT EXISTS "step_runs_run_id_step_key_phase_attempt_key" ON "step_runs"("run_id", "step_key", "phase", "attempt");

CREATE TABLE IF NOT EXISTS "run_transitions" (
  "id" BIGSERIAL NOT NULL,
  "run_id" UUID NOT NULL,
  "step_run_id" UUID,
  "from_status" TEXT,
  "to_status" TEXT NOT NULL,
  "reason" TEXT NOT NULL DEFAULT '',
  "actor" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "run_transitions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX IF NOT EXISTS "run_transitions_run_id_id_idx" ON "run_transitions"("run_id", "id");

CREATE TABLE IF NOT EXISTS "log_lines" (
  "id" BIGSERIAL NOT NULL,
  "run_id" UUID NOT NULL,
  "step_run_id" UUID,
  "seq" INTEGER NOT NULL,
  "stream" "LogStream" NOT NULL,
  "text" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "log_lines_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX IF NOT EXISTS "log_lines_run_id_seq_key" ON "log_lines"("run_id", "seq");

CREATE TABLE IF NOT EXISTS "smoke_results" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "run_id" UUID NOT NULL,
  "url" TEXT NOT NULL,
  "phase" "SmokePhase" NOT NULL,
  "status_code" INTEGER,
  "latency_ms" INTEGER,
  "ok" BOOLEAN NOT NULL,
  "checks" JSONB NOT NULL DEFAULT '[]',
  "error" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "smoke_results_pkey" PRIMARY KEY ("id")
);
CREATE INDEX IF NOT EXISTS "smoke_results_run_id_phase_idx" ON "smoke_results"("run_id", "phase");

CREATE TABLE IF NOT EXISTS "audit_events" (
  "id" BIGSERIAL NOT NULL,
  "actor" TEXT NOT NULL,
  "actor_id" UUID,
  "action" TEXT NOT NULL,
  "entity_type" TEXT NOT NULL,
  "entity_id" TEXT NOT NULL,
  "before" JSONB,
  "after" JSONB,
  "metadata" JSONB,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "prev_hash" TEXT NOT NULL,
  "hash" TEXT NOT NULL,
  CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX IF NOT EXISTS "audit_events_hash_key" ON "audit_events"("hash");
CREATE INDEX IF NOT EXISTS "audit_events_entity_type_entity_id_idx" ON "audit_events"("entity_type", "entity_id");
CREATE INDEX IF NOT EXISTS "audit_events_action_idx" ON "audit_events"("action");
CREATE INDEX IF NOT EXISTS "audit_events_created_at_idx" ON "audit_events"("created_at");

-- The audit trail is insert-only for everyone, the application's role included.
CREATE OR REPLACE FUNCTION "audit_events_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER IF EXISTS "audit_events_append_only" ON "audit_events";
CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_refuse_change"();

CREATE TABLE IF NOT EXISTS "secrets" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "purpose" TEXT NOT NULL,
  "key_id" TEXT NOT NULL,
  "iv" BYTEA NOT NULL,
  "auth_tag" BYTEA NOT NULL,
  "ciphertext" BYTEA NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "rotated_at" TIMESTAMPTZ(3),
  CONSTRAINT "secrets_pkey" PRIMARY KEY ("id")
);
CREATE INDEX IF NOT EXISTS "secrets_key_id_idx" ON "secrets"("key_id");

-- Foreign keys: ADD CONSTRAINT has no IF NOT EXISTS, so each is guarded by a catalog check.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'cutovers_heroku_app_id_fkey') THEN
    ALTER TABLE "cutovers" ADD CONSTRAINT "cutovers_heroku_app_id_fkey" FOREIGN KEY ("heroku_app_id")
      REFERENCES "heroku_apps"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'plan_steps_cutover_id_fkey') THEN
    ALTER TABLE "plan_steps" ADD CONSTRAINT "plan_steps_cutover_id_fkey" FOREIGN KEY ("cutover_id")
      REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'sign_offs_cutover_id_fkey') THEN
    ALTER TABLE "sign_offs" ADD CONSTRAINT "sign_offs_cutover_id_fkey" FOREIGN KEY ("cutover_id")
      REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'sign_offs_user_id_fkey') THEN
    ALTER TABLE "sign_offs" ADD CONSTRAINT "sign_offs_user_id_fkey" FOREIGN KEY ("user_id")
      REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'cutover_runs_cutover_id_fkey') THEN
    ALTER TABLE "cutover_runs" ADD CONSTRAINT "cutover_runs_cutover_id_fkey" FOREIGN KEY ("cutover_id")
      REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'step_runs_run_id_fkey') THEN
    ALTER TABLE "step_runs" ADD CONSTRAINT "step_runs_run_id_fkey" FOREIGN KEY ("run_id")
      REFERENCES "cutover_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'run_transitions_run_id_fkey') THEN
    ALTER TABLE "run_transitions" ADD CONSTRAINT "run_transitions_run_id_fkey" FOREIGN KEY ("run_id")
      REFERENCES "cutover_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'log_lines_run_id_fkey') THEN
    ALTER TABLE "log_lines" ADD CONSTRAINT "log_lines_run_id_fkey" FOREIGN KEY ("run_id")
      REFERENCES "cutover_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'smoke_results_run_id_fkey') THEN
    ALTER TABLE "smoke_results" ADD CONSTRAINT "smoke_results_run_id_fkey" FOREIGN KEY ("run_id")
      REFERENCES "cutover_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  END IF;
END $$;
