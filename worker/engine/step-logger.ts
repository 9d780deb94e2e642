/** Where a step's output goes; the log writer redacts, numbers and stores every line. */
export type LogStream = "stdout" | "stderr" | "system";

export interface StepLogger {
  /** One line of a child process's output (or Switchyard's, with "system"). */
  write(stream: LogStream, text: string): void;
  /** Switchyard's own narration of what it is doing. */
  info(text: string): void;
  /** The equivalent shell command, logged as "$ <line>"; callers mask secrets, the writer redacts again. */
  command(line: string): void;
}

/** A logger that keeps lines in memory, for tests and for steps whose output is summarized. */
export function memoryLogger(): StepLogger & { lines: Array<{ stream: LogStream; text: string }> } {
  const lines: Array<{ stream: LogStream; text: string }> = [];
  return {
    lines,
    write: (stream, text) => void lines.push({ stream, text }),
    info: (text) => void lines.push({ stream: "system", text }),
    command: (line) => void lines.push({ stream: "system", text: `$ ${line}` }),
  };
}
