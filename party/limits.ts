/** Largest worker→room POST body accepted. */
export const MAX_PUBLISH_BYTES = 64 * 1024;
/** Largest client→room WebSocket message accepted. */
export const MAX_CLIENT_MESSAGE_BYTES = 1024;
/** How many metrics messages a room keeps to replay to clients that join later. */
export const REPLAY_LENGTH = 20;
/** Bytes of metrics messages a room keeps for replay, in all; the oldest go first. */
export const MAX_REPLAY_BYTES = 256 * 1024;

const DEFAULT_METRICS_TTL_SECONDS = 604_800;

/**
 * How long a room replays a metrics message: `METRICS_TTL_SECONDS`, the worker's metrics TTL, so a
 * room never shows metrics the API has forgotten. Seven days when unset or not a positive number.
 */
export function replayTtlMs(env: Record<string, unknown>): number {
  const seconds = Number(env.METRICS_TTL_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_METRICS_TTL_SECONDS) * 1000;
}
