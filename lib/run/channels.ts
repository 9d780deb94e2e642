/** NOTIFY channels. A notification is only a wake-up hint: listeners re-read the database. */
export const RUNS_CHANNEL = "switchyard_runs";
export const LOGS_CHANNEL = "switchyard_logs";
/** A run's status changed; payload is the run id. */
export const STATUS_CHANNEL = "switchyard_status";
