import { CacheUnavailableError } from "./types";

export interface WriteRetryOptions {
  /** How long a write may keep retrying in all, within what `waitUntil` allows (30 s). */
  budgetMs: number;
  /** First wait; each next one doubles. */
  firstDelayMs?: number;
  log: (event: { msg: string } & Record<string, unknown>, level?: "info" | "warn") => void;
}

export interface WriteRetry {
  /**
   * Runs a cache write that backs an answer already given, retrying a cache outage with
   * exponential backoff until `budgetMs` is spent. Never throws: a write that still fails is
   * dropped, logged (`cache_write_dropped`) and counted.
   */
  run(operation: string, write: () => Promise<void>): Promise<boolean>;
  /** Writes dropped by this isolate since it started. */
  readonly dropped: number;
}

/**
 * Retries for writes that run after the answer (in `waitUntil`): a Redis blip of a few seconds
 * loses nothing the client was told about. A retry can repeat a write whose answer was lost in a
 * timeout; the store's writes are made so that a repeat changes nothing (history turns are added once).
 *
 * @example
 * const writes = createWriteRetry({ budgetMs: 15_000, log });
 * waitUntil(writes.run("saveExchange", () => store.saveExchange(exchange)));
 */
export function createWriteRetry(options: WriteRetryOptions): WriteRetry {
  const firstDelayMs = options.firstDelayMs ?? 250;
  let dropped = 0;
  return {
    get dropped() {
      return dropped;
    },
    async run(operation, write) {
      const started = Date.now();
      for (let attempt = 1, delay = firstDelayMs; ; attempt++, delay *= 2) {
        try {
          await write();
          if (attempt > 1) options.log({ msg: "cache_write_retried", operation, attempts: attempt });
          return true;
        } catch (error) {
          const retryable = error instanceof CacheUnavailableError;
          const wait = Math.min(delay, started + options.budgetMs - Date.now());
          if (!retryable || wait <= 0) {
            dropped++;
            const reason = retryable ? error.reason : error instanceof Error ? error.name : "unknown";
            options.log(
              { msg: "cache_write_dropped", operation, attempts: attempt, reason, droppedTotal: dropped },
              "warn",
            );
            return false;
          }
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
    },
  };
}
