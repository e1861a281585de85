// Structured JSON logs, one object per line on stdout, with the service name,
// the current trace's id (trace_id: the line leads to its trace in Zipkin)
// and whatever ids the caller adds (event_id, task_id, user_id).
import { currentSpan } from "./tracing/span.ts";
export type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  service: string;
  level?: Level;
  /** Values that must never reach a log line (tokens, passwords); replaced by "[redacted]". */
  secrets?: readonly string[];
  write?: (line: string) => void;
}

export function createLogger(options: LoggerOptions, bound: Record<string, unknown> = {}): Logger {
  const min = ORDER[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  const emit = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    let line = JSON.stringify(
      {
        time: new Date().toISOString(),
        level,
        service: options.service,
        msg,
        ...(currentSpan() ? { trace_id: currentSpan()!.traceId } : {}),
        ...bound,
        ...fields,
      },
      errorReplacer,
    );
    for (const secret of secrets) line = line.replaceAll(secret, "[redacted]");
    write(line);
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

function errorReplacer(_key: string, value: unknown) {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
