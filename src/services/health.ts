import type { Analyzer } from "../analysis";
import type { ChatStore, WriteRetry } from "../cache";
import type { Config } from "../config";
import type { Memory } from "../memory";
import type { Provider } from "../providers";
import type { ModelCatalog } from "../providers/models";
import type { RoomPublisher } from "../rooms/publisher";
import type { Health, PublicHealth } from "../schemas/health";
import { priceTableInfo } from "../usage/prices";
import { VERSION } from "../version";

/** Checks each part the API depends on; a missing optional part is reported, not fatal. */
export type HealthCheck = () => Promise<Health>;

export interface HealthParts {
  config: Config;
  providers: readonly Provider[];
  models: ModelCatalog;
  store: ChatStore;
  writes: WriteRetry;
  analyzer: Analyzer;
  rooms: RoomPublisher | undefined;
  memory: Memory | undefined;
}

/** How long the cache, rooms and vector-store probes are trusted: a flood of `/health` cannot fan out. */
export const HEALTH_PROBE_CACHE_MS = 5_000;

/**
 * The health check behind `GET /health`: the cache, rooms and vector store are asked (a failure is
 * `degraded`) at most once per {@link HEALTH_PROBE_CACHE_MS}, concurrent callers sharing one probe;
 * each provider is probed through its model list (cached 30 s, shared with `/models`), so a provider
 * nobody can reach shows as unreachable: none reachable (or none configured) is `down`, some is
 * `degraded`. Parts switched off for unusable settings are listed, and make it `degraded`.
 *
 * @example
 * const health = await createHealthCheck(parts)();
 * health.status; // "ok" | "degraded" | "down"
 */
export function createHealthCheck(parts: HealthParts): HealthCheck {
  const { config, providers, models, store, writes, analyzer, rooms, memory } = parts;
  const failed = { status: "degraded" as const, detail: "health check failed" };
  const probes = reusedFor(HEALTH_PROBE_CACHE_MS, () =>
    Promise.all([
      store.health().catch(() => failed),
      rooms ? rooms.health().catch(() => "degraded" as const) : Promise.resolve("off" as const),
      memory
        ? memory.health().catch(() => failed)
        : Promise.resolve({ status: "off" as const, detail: undefined }),
    ]),
  );
  return async () => {
    const [[cache, roomStatus, vectors], listings] = await Promise.all([probes(), models.listings()]);
    const roomsOff = config.switchedOff.find((entry) => entry.part === "rooms");
    const memoryOff = config.switchedOff.find((entry) => entry.part === "memory");
    const auth = config.auth.disabled ? "off" : config.auth.keys.length > 0 ? "ok" : "down";
    const each = listings.map((listing) =>
      listing.ok
        ? { name: listing.provider.name, status: "reachable" as const }
        : { name: listing.provider.name, status: "unreachable" as const, detail: listing.error },
    );
    const reachable = each.filter((entry) => entry.status === "reachable").length;
    const providerStatus = reachable === 0 ? "down" : reachable < providers.length ? "degraded" : "ok";
    const components: Health["components"] = {
      cache: {
        status: cache.status,
        ...(cache.detail ? { detail: cache.detail } : {}),
        droppedWrites: writes.dropped,
      },
      providers: { status: providerStatus, configured: providers.length, reachable, each },
      analyzer: { status: "ok", primary: analyzer.primary },
      rooms: roomsOff ? { status: "off", detail: roomsOff.reason } : { status: roomStatus },
      auth: { status: auth },
      vectors: memoryOff
        ? { status: "off", detail: memoryOff.reason }
        : { status: vectors.status, ...(vectors.detail ? { detail: vectors.detail } : {}) },
    };
    const degraded =
      cache.status === "degraded" ||
      roomStatus === "degraded" ||
      vectors.status === "degraded" ||
      auth === "down" ||
      providerStatus === "degraded" ||
      config.switchedOff.length > 0;
    return {
      status: providerStatus === "down" ? "down" : degraded ? "degraded" : "ok",
      timestamp: new Date().toISOString(),
      version: VERSION,
      components,
      switchedOff: config.switchedOff,
      prices: { ...priceTableInfo(), overrides: Object.keys(config.usage.prices).length },
    };
  };
}

/** `probe`'s answer, asked again only once it is `ttlMs` old; concurrent callers share one call. */
function reusedFor<T>(ttlMs: number, probe: () => Promise<T>): () => Promise<T> {
  let last: { at: number; answer: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= ttlMs) last = { at: now, answer: probe() };
    return last.answer;
  };
}

/** What anyone may see: each part's state, no details (upstream error codes, reasons, counts). */
export function publicHealth(health: Health): PublicHealth {
  const components = Object.fromEntries(
    Object.entries(health.components).map(([name, component]) => [name, { status: component.status }]),
  ) as PublicHealth["components"];
  const { status, timestamp, version } = health;
  const { overrides: _overrides, ...prices } = health.prices;
  return { status, timestamp, version, components, prices };
}
