// Sigil's operational log: one record a line, as `text` (time level message key=value …) or `json`
// (one object a line, for a log shipper). Records below the configured level are dropped before
// they are formatted. Callers pass no secrets: ids, hosts, routes, statuses, durations, stacks.
import type { Config, LogFormat, LogLevel } from "../config/index.ts";

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where a finished line goes: warnings and errors to stderr, the rest to stdout (the journal keeps both). */
export type LineWriter = (line: string, level: LogLevel) => void;

const writeToProcess: LineWriter = (line, level) => {
  (RANK[level] >= RANK.warn ? process.stderr : process.stdout).write(line + "\n");
};

export function createLogger(format: LogFormat, least: LogLevel, write: LineWriter = writeToProcess): Logger {
  return {
    log(level, message, fields = {}) {
      if (RANK[level] < RANK[least]) return;
      const time = new Date().toISOString();
      write(format === "json" ? JSON.stringify({ time, level, msg: message, ...fields }) : textLine(time, level, message, fields), level);
    },
  };
}

const loggers = new WeakMap<Config, Logger>();

/** The logger the configuration asks for, made once per configuration. */
export function loggerFor(config: Config): Logger {
  let logger = loggers.get(config);
  if (!logger) loggers.set(config, (logger = createLogger(config.logFormat, config.logLevel)));
  return logger;
}

/** key=value pairs; a value with a space, quote, `=` or a line break is JSON-quoted, so a stack stays on one line. */
function textLine(time: string, level: LogLevel, message: string, fields: Record<string, unknown>): string {
  const pairs = Object.entries(fields).map(([key, value]) => {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return `${key}=${/^[^\s"=]*$/.test(text) && text !== "" ? text : JSON.stringify(text)}`;
  });
  return [time, level.toUpperCase(), message, ...pairs].join(" ");
}
