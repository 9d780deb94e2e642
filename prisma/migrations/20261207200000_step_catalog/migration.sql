-- The step catalog moved to lib/steps/ and its kinds got platform-neutral names (heroku.* and
-- postgres.* became platform.* and database.*; preflight, gate and smoke became check.*). Each
-- kind's undo is a fact of the catalog, so the stored per-step rollback (never read) goes.
-- What every step does is unchanged, so plan hashes and the sign-offs naming them stay as they
-- were; the next edit of a plan hashes the new names. Idempotent: new names map to themselves.

CREATE OR REPLACE FUNCTION pg_temp.switchyard_step_kind(old TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE old
    WHEN 'preflight' THEN 'check.preflight'
    WHEN 'gate' THEN 'check.gate'
    WHEN 'smoke' THEN 'check.smoke'
    WHEN 'heroku.maintenance' THEN 'platform.maintenance'
    WHEN 'heroku.scale_down' THEN 'platform.scale_down'
    WHEN 'heroku.restore_formation' THEN 'platform.restore_formation'
    WHEN 'heroku.switch' THEN 'platform.switch'
    WHEN 'postgres.write_freeze' THEN 'database.write_freeze'
    WHEN 'postgres.copy' THEN 'database.copy'
    WHEN 'postgres.verify' THEN 'database.verify'
    ELSE old
  END
$$;

UPDATE "plan_steps" SET "kind" = pg_temp.switchyard_step_kind("kind") WHERE "kind" <> pg_temp.switchyard_step_kind("kind");
ALTER TABLE "plan_steps" DROP COLUMN IF EXISTS "rollback";

-- Runs execute their frozen snapshot, so the snapshots get the same names (and lose rollback).
UPDATE "cutover_runs" r
SET "plan_snapshot" = jsonb_set(r."plan_snapshot", '{steps}', (
  SELECT COALESCE(jsonb_agg((s - 'rollback') || jsonb_build_object('kind', pg_temp.switchyard_step_kind(s->>'kind')) ORDER BY ord), '[]'::jsonb)
  FROM jsonb_array_elements(r."plan_snapshot"->'steps') WITH ORDINALITY AS t(s, ord)
))
WHERE jsonb_typeof(r."plan_snapshot"->'steps') = 'array'
  AND EXISTS (
    SELECT 1 FROM jsonb_array_elements(r."plan_snapshot"->'steps') s
    WHERE s ? 'rollback' OR s->>'kind' <> pg_temp.switchyard_step_kind(s->>'kind')
  );
