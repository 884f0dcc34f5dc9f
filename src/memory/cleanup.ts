import { errorName } from "../lib/errors";
import type { Services } from "../services";

/** Rows one statement removes at most, and statements one run makes at most: a bounded run. */
const PURGE_BATCH_ROWS = 1_000;
const PURGE_MAX_BATCHES = 20;

/**
 * The Cron Trigger's work (`[triggers] crons` in wrangler.toml): removes expired vector rows in
 * batches of {@link PURGE_BATCH_ROWS}, at most {@link PURGE_MAX_BATCHES} of them per run (the next
 * run takes the rest). Does nothing without memory; a store that is down is logged and left for
 * the next run. Answers how many rows went.
 *
 * @example
 * export default { ...app, scheduled: (_event, env, ctx) => ctx.waitUntil(purgeExpiredVectors(servicesFor(env))) };
 */
export async function purgeExpiredVectors(services: Services): Promise<number> {
  if (!services.memory) return 0;
  try {
    const removed = await services.memory.purgeExpired({
      batchSize: PURGE_BATCH_ROWS,
      maxBatches: PURGE_MAX_BATCHES,
    });
    services.log({ msg: "vectors_purged", removed });
    return removed;
  } catch (error) {
    services.log({ msg: "vectors_purge_failed", reason: errorName(error) }, "warn");
    return 0;
  }
}
