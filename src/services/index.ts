import type { Redis } from "@upstash/redis";
import { type Analyzer, createAnalyzer } from "../analysis";
import {
  type ChatStore,
  createChatStore,
  createRedisClient,
  createWriteRetry,
  type WriteRetry,
} from "../cache";
import { type Config, type Env, loadConfig, secretsOf } from "../config";
import { createEmbedder, type Embedder } from "../embeddings";
import { createLogger, type Logger } from "../lib/log";
import { redactable } from "../lib/redact";
import { createMemory, type Memory } from "../memory";
import { createProviders, type Provider, type ProviderName } from "../providers";
import { createModelCatalog, type ModelCatalog } from "../providers/models";
import { createRoomPublisher, type RoomPublisher } from "../rooms/publisher";
import { type AuditTrail, createMemoryAuditTrail, createRedisAuditTrail } from "../security/audit-trail";
import { createRedisLimiter } from "../security/redis-limiter";
import { createMemoryLimiter, type RateLimiter } from "../security/sliding-window";
import { createTelemetry, type Telemetry, tracedProvider } from "../telemetry";
import { createUsage, type Usage } from "../usage";
import { createHealthCheck, type HealthCheck } from "./health";

/**
 * The per-caller budgets of requests a minute; every route counts against one (its contract says
 * which). `status`: `/health` and the model lists, which must not become a way to spend upstream
 * quota; `read`: cache reads and the audit trail; `write`: room tokens (each may bind a new id) and
 * deletes; `search`: conversation search (an embedding call and a vector query each).
 */
export type RateBudget = "chat" | "analyze" | "status" | "read" | "write" | "search";

const RATE_WINDOW_MS = 60_000;
/** Caps audit writes per event type and client, so a flood of bad requests cannot flood the trail. */
const AUDIT_WRITES_PER_MINUTE = 30;

/**
 * Everything a route or middleware needs, built once per isolate from the environment. Knows
 * nothing of Hono. Each outside service is spoken to through exactly one of these.
 */
export interface Services {
  config: Config;
  log: Logger;
  /** Configured secrets (long enough to redact), for scrubbing logs and error answers. */
  secrets: readonly string[];
  providers: Provider<ProviderName>[];
  models: ModelCatalog;
  /** The Redis REST client, when Redis is configured; the store, limiters and audit trail share it. */
  redis: Redis | undefined;
  store: ChatStore;
  /** Retries the cache writes made after an answer; counts those dropped. */
  writes: WriteRetry;
  analyzer: Analyzer;
  rooms: RoomPublisher | undefined;
  /** Conversation memory and the semantic cache, when an embedder and the vector database are configured. */
  memory: Memory | undefined;
  /** The configured embedder (`POST /v1/embeddings`), with or without the vector database. */
  embedder: Embedder | undefined;
  limiters: Record<RateBudget, RateLimiter>;
  audit: { trail: AuditTrail; throttle: RateLimiter };
  health: HealthCheck;
  /** Usage counters, prices and budgets per key. */
  usage: Usage;
  /** Trace export (OTLP), when configured. */
  telemetry: Telemetry;
}

const built = new WeakMap<Env, Services>();

/** Returns the isolate's services for `env`, building them on first use. */
export function servicesFor(env: Env): Services {
  let services = built.get(env);
  if (!services) {
    services = createServices(loadConfig(env));
    built.set(env, services);
  }
  return services;
}

/** Builds every service from a parsed configuration. */
export function createServices(config: Config): Services {
  const secrets = redactable(secretsOf(config));
  const log = createLogger({ secrets, minimum: config.logLevel });
  const { redis: redisSettings, timeoutMs, ...cache } = config.cache;
  const redis = redisSettings && createRedisClient({ ...redisSettings, timeoutMs });
  const telemetry = createTelemetry(config.telemetry, log);
  // Provider attempts are traced here; the other services per traced request (middleware/tracing.ts).
  const providers = createProviders(config).map((provider) =>
    tracedProvider(provider, telemetry.captureContent),
  );
  const store = createChatStore({ ...cache, redis, log });
  const writes = createWriteRetry({ budgetMs: config.cache.writeRetryMs, log });
  const models = createModelCatalog(providers);
  const analyzer = createAnalyzer({ neo: config.neo, log });
  const rooms = config.rooms && createRoomPublisher({ ...config.rooms, log });
  const memory = config.memory.enabled
    ? createMemory({
        settings: config.memory.settings,
        connectionString: config.memory.connectionString,
        log: (event) => log({ msg: "memory", ...event }, "warn"),
      })
    : undefined;
  const limiter = (name: string, limit: number) =>
    redis
      ? createRedisLimiter(redis, { name, limit, windowMs: RATE_WINDOW_MS, timeoutMs })
      : createMemoryLimiter({ limit, windowMs: RATE_WINDOW_MS });
  const { maxEvents } = config.audit;
  return {
    config,
    log,
    secrets,
    providers,
    models,
    redis,
    store,
    writes,
    analyzer,
    rooms,
    memory,
    embedder: embedderOf(config),
    limiters: {
      chat: limiter("chat", config.rateLimits.chatPerMinute),
      analyze: limiter("analyze", config.rateLimits.analyzePerMinute),
      status: limiter("status", config.rateLimits.statusPerMinute),
      read: limiter("read", config.rateLimits.readPerMinute),
      write: limiter("write", config.rateLimits.writePerMinute),
      search: limiter("search", config.rateLimits.searchPerMinute),
    },
    audit: {
      trail: redis ? createRedisAuditTrail(redis, { maxEvents }) : createMemoryAuditTrail({ maxEvents }),
      throttle: createMemoryLimiter({ limit: AUDIT_WRITES_PER_MINUTE, windowMs: RATE_WINDOW_MS }),
    },
    health: createHealthCheck({ config, providers, models, store, writes, analyzer, rooms, memory }),
    // Its own retry (the history's mechanism): a dropped usage write is logged, not counted as an answer lost.
    usage: createUsage({
      config: config.usage,
      redis,
      writes: createWriteRetry({ budgetMs: config.cache.writeRetryMs, log }),
    }),
    telemetry,
  };
}

function embedderOf(config: Config): Embedder | undefined {
  const settings = config.memory.enabled ? config.memory.settings.embedder : config.memory.embedder;
  return settings && createEmbedder(settings);
}
