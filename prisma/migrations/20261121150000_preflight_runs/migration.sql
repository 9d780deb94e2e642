-- A run of kind "preflight" executes only the preflight step, on demand before the window.
-- ADD VALUE IF NOT EXISTS keeps this idempotent.
ALTER TYPE "RunKind" ADD VALUE IF NOT EXISTS 'preflight';
