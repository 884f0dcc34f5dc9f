import { redact, redactable } from "./redact";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogEvent = Record<string, unknown> & { msg: string };
export type Logger = (event: LogEvent, level?: LogLevel) => void;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A structured logger: one JSON line per event, at or above `minimum`, with every known secret
 * replaced by `[redacted]` whatever field it hides in.
 *
 * @example
 * const log = createLogger({ secrets: [apiKey], minimum: "info" });
 * log({ msg: "request", route: "/chat", status: 200 });
 */
export function createLogger(options: { secrets: readonly string[]; minimum: LogLevel }): Logger {
  const secrets = redactable(options.secrets);
  const floor = RANK[options.minimum];
  return (event, level = "info") => {
    if (RANK[level] < floor) return;
    const line = redact(JSON.stringify({ level, time: new Date().toISOString(), ...event }), secrets);
    if (level === "error") console.error(line);
    else console.log(line);
  };
}
