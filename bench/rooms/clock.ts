/**
 * Milliseconds on the machine's monotonic clock (`CLOCK_MONOTONIC`, via `process.hrtime`): the same
 * clock in every thread and process, so a receipt noted in a watcher thread and a send time noted in
 * the main thread subtract to a latency.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
