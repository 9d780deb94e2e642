import { systemActor, type Ctx } from "@/lib/context";
import type { EngineDeps } from "./deps";

/** The context lib verbs get when the worker itself is the actor. */
export const workerCtx = (deps: EngineDeps): Ctx => ({ db: deps.db, actor: systemActor("worker"), now: deps.now, secretKey: deps.secretKey });
