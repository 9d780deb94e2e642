/** NOTIFY channels. A notification is only a wake-up hint: listeners re-read the database. */
export const RUNS_CHANNEL = "switchyard_runs";
export const LOGS_CHANNEL = "switchyard_logs";
