import type { LogWriter } from "../logs/log-writer";
import type { StepLogger } from "./step-logger";

/** A StepLogger writing one run's lines (optionally tagged with a step attempt) to the log writer. */
export function runLogger(logs: LogWriter, runId: string, stepRunId: string | null = null): StepLogger {
  return {
    write: (stream, text) => logs.append(runId, { stepRunId, stream, text }),
    info: (text) => logs.append(runId, { stepRunId, stream: "system", text }),
    command: (line) => logs.append(runId, { stepRunId, stream: "system", text: `$ ${line}` }),
  };
}
