import type { Analyzer } from "../analysis";
import type { ChatStore } from "../cache";
import type { Config } from "../config";
import type { Memory } from "../memory";
import type { Provider } from "../providers";
import type { RoomPublisher } from "../rooms/publisher";
import type { Health } from "../schemas/health";
import { VERSION } from "../version";

/** Checks each part the API depends on; a missing optional part is reported, not fatal. */
export type HealthCheck = () => Promise<Health>;

export interface HealthParts {
  config: Config;
  providers: readonly Provider[];
  store: ChatStore;
  analyzer: Analyzer;
  rooms: RoomPublisher | undefined;
  memory: Memory | undefined;
}

/**
 * The health check behind `GET /health`: the cache and rooms are asked (a failure is `degraded`),
 * providers and auth are judged from the configuration. No providers at all is `down`.
 *
 * @example
 * const health = await createHealthCheck(parts)();
 * health.status; // "ok" | "degraded" | "down"
 */
export function createHealthCheck(parts: HealthParts): HealthCheck {
  const { config, providers, store, analyzer, rooms, memory } = parts;
  return async () => {
    const failed = { status: "degraded" as const, detail: "health check failed" };
    const [cache, roomStatus, vectors] = await Promise.all([
      store.health().catch(() => failed),
      rooms ? rooms.health().catch(() => "degraded" as const) : Promise.resolve("off" as const),
      memory
        ? memory.health().catch(() => failed)
        : Promise.resolve({ status: "off" as const, detail: undefined }),
    ]);
    const auth = config.auth.disabled ? "off" : config.auth.keys.length > 0 ? "ok" : "down";
    const components: Health["components"] = {
      cache: { status: cache.status, ...(cache.detail ? { detail: cache.detail } : {}) },
      providers: { status: providers.length > 0 ? "ok" : "down", configured: providers.length },
      analyzer: { status: "ok", primary: analyzer.primary },
      rooms: { status: roomStatus },
      auth: { status: auth },
      vectors: { status: vectors.status, ...(vectors.detail ? { detail: vectors.detail } : {}) },
    };
    const degraded =
      cache.status === "degraded" ||
      roomStatus === "degraded" ||
      vectors.status === "degraded" ||
      auth === "down";
    return {
      status: providers.length === 0 ? "down" : degraded ? "degraded" : "ok",
      timestamp: new Date().toISOString(),
      version: VERSION,
      components,
    };
  };
}
