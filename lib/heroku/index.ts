// The Heroku client's public surface, for the worker and the engine.
export { createHerokuClient } from "./client";
export type { HerokuClient, HerokuClientOptions, HerokuRequest, HerokuRequestRecord, HerokuResponse } from "./client";
export type { CreateAttachmentInput, HerokuApi, LogSessionInput, RunDetachedInput } from "./api";
export { type HerokuCall, MASK, commandLine } from "./commands";
export { type DiscoveryProblem, type HerokuSource, SourceDiscoveryError, discoverSource } from "./discover";
export { HerokuApiError, HerokuNetworkError, HerokuResponseError } from "./errors";
export { type OneOffOutput, type ParsedLogLine, type ReadOneOffOptions, exitStatusIn, parseLogLine, readOneOffOutput } from "./one-off-output";
export * from "./types";
