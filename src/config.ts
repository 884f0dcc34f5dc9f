import * as z from "zod";
import { flag, integer, list, optionalText, optionalUrl, url } from "./lib/env-fields";
import { ApiError } from "./lib/errors";
import { type MemoryConfig, MemoryEnvSchema, memoryConfig, memorySecrets } from "./memory/config";
import { PROVIDER_NAMES, PROVIDERS, type ProviderSettings } from "./providers/registry";
import { TelemetryEnvSchema, telemetryConfig } from "./telemetry/config";
import { UsageEnvSchema, usageConfig } from "./usage/config";

/** Bindings and variables the worker reads: wrangler `[vars]`, secrets and `.dev.vars`. All optional strings. */
export type Env = Record<string, string | undefined>;

export type { ProviderName } from "./providers/registry";
export { PROVIDER_NAMES } from "./providers/registry";

/**
 * `name:key` pairs separated by commas; a bare key is named by its list and position (`key1`,
 * `admin1`), so names never repeat across the two lists.
 */
const namedKeys = (unnamedPrefix: string) =>
  list.pipe(
    z.array(z.string()).transform((items, ctx) =>
      items.map((item, index) => {
        const colon = item.indexOf(":");
        const name = colon > 0 ? item.slice(0, colon).trim() : `${unnamedPrefix}${index + 1}`;
        const key = colon > 0 ? item.slice(colon + 1).trim() : item;
        if (key.length < 16)
          ctx.addIssue({ code: "custom", message: `key "${name}" is shorter than 16 characters` });
        return { name, key };
      }),
    ),
  );

/** The variables every deployment shares; each provider's own live in its descriptor. */
const EnvSchema = z
  .object({
    LLM_PROVIDERS: list.pipe(
      z.array(z.enum(PROVIDER_NAMES, { error: `each must be one of ${PROVIDER_NAMES.join(", ")}` })),
    ),
    MAX_TOKENS_CAP: integer(4096, 1, 8192),
    PROVIDER_MAX_RETRIES: integer(2, 0, 5),
    PROVIDER_BREAKER_COOL_DOWN_MS: integer(30_000, 100, 600_000),
    PROVIDER_FIRST_BYTE_TIMEOUT_MS: integer(20_000, 100, 120_000),
    PROVIDER_TOTAL_TIMEOUT_MS: integer(60_000, 100, 300_000),
    SSE_KEEPALIVE_MS: integer(5_000, 100, 60_000),
    PARTIAL_METRICS_EVERY_WORDS: integer(40, 0, 10_000),
    STREAM_IDLE_TIMEOUT_MS: integer(30_000, 100, 300_000),
    STREAM_MAX_MS: integer(600_000, 100, 3_600_000),
    MESSAGES_TTL_SECONDS: integer(86_400, 1, 31_536_000),
    METRICS_TTL_SECONDS: integer(604_800, 1, 31_536_000),
    HISTORY_TURNS: integer(20, 1, 200),
    CACHE_TIMEOUT_MS: integer(500, 10, 10_000),
    CACHE_WRITE_RETRY_MS: integer(15_000, 0, 25_000),
    PARTYKIT_HOST: optionalText,
    PARTY_SECRET: optionalText,
    ROOM_TOKEN_SECRET: optionalText,
    ROOM_TOKEN_TTL_SECONDS: integer(300, 10, 86_400),
    API_KEYS: namedKeys("key"),
    ADMIN_API_KEYS: namedKeys("admin"),
    AUTH_DISABLED: flag(false),
    RATE_LIMIT_CHAT_PER_MINUTE: integer(60, 1, 100_000),
    RATE_LIMIT_ANALYZE_PER_MINUTE: integer(300, 1, 100_000),
    RATE_LIMIT_STATUS_PER_MINUTE: integer(120, 1, 100_000),
    RATE_LIMIT_READ_PER_MINUTE: integer(600, 1, 100_000),
    RATE_LIMIT_WRITE_PER_MINUTE: integer(60, 1, 100_000),
    RATE_LIMIT_SEARCH_PER_MINUTE: integer(60, 1, 100_000),
    CORS_ORIGINS: list,
    AUDIT_MAX_EVENTS: integer(10_000, 100, 1_000_000),
    MAX_CONTEXT_TURNS: integer(100, 0, 100),
    MAX_CONTEXT_CHARS: integer(64_000, 1, 1_000_000),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    ...UsageEnvSchema.shape,
    ...TelemetryEnvSchema.shape,
  })
  .superRefine((vars, ctx) => {
    // A key's name is its identity: rate bucket, audit entries, and the owner of what it stores.
    const seen = new Set<string>();
    for (const { name } of [...vars.API_KEYS, ...vars.ADMIN_API_KEYS]) {
      if (seen.has(name))
        ctx.addIssue({ code: "custom", path: ["API_KEYS"], message: `name "${name}" is used by two keys` });
      seen.add(name);
    }
  });

/**
 * Optional parts with settings of their own. A part whose settings do not parse is switched off
 * (and `/health` says why) instead of failing every request; so are a provider whose slice does not
 * parse and rooms whose host is unusable.
 */
const OPTIONAL_PARTS = {
  neo: z.object({
    NEO_API_KEY: optionalText,
    NEO_API_URL: url.default("https://api.neoapi.ai"),
    NEO_TIMEOUT_MS: integer(8_000, 100, 60_000),
  }),
  cache: z.object({ UPSTASH_REDIS_REST_URL: optionalUrl, UPSTASH_REDIS_REST_TOKEN: optionalText }),
};

/** An optional part that is off because its settings are unusable, and why (names variables, never values). */
export interface SwitchedOff {
  part: string;
  reason: string;
}

const problemsOf = (issues: readonly z.core.$ZodIssue[]) =>
  issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ");

/** The typed configuration every part of the worker reads; built once per isolate from `env`. */
export type Config = ReturnType<typeof toConfig>;

interface Parts {
  neo: z.infer<(typeof OPTIONAL_PARTS)["neo"]> | undefined;
  cache: z.infer<(typeof OPTIONAL_PARTS)["cache"]> | undefined;
}

function toConfig(
  vars: z.infer<typeof EnvSchema>,
  parts: Parts,
  providers: ProviderSettings,
  providerSecrets: string[],
  switchedOff: SwitchedOff[],
  memory: MemoryConfig,
) {
  const rooms = roomsConfig(vars);
  const { neo, cache } = parts;
  const order = vars.LLM_PROVIDERS.length > 0 ? vars.LLM_PROVIDERS : [...PROVIDER_NAMES];
  return {
    providers,
    /** Configured providers, in the order they are tried. */
    providerOrder: [...new Set(order)].filter((name) => providers[name] !== undefined),
    /** The providers' secret settings (API keys), named by their descriptors. */
    providerSecrets,
    maxTokensCap: vars.MAX_TOKENS_CAP,
    retry: { maxRetries: vars.PROVIDER_MAX_RETRIES, breakerCoolDownMs: vars.PROVIDER_BREAKER_COOL_DOWN_MS },
    timeouts: {
      firstByteMs: vars.PROVIDER_FIRST_BYTE_TIMEOUT_MS,
      totalMs: vars.PROVIDER_TOTAL_TIMEOUT_MS,
      /** Once a stream has started: the longest gap between chunks, and the longest stream. */
      streamIdleMs: vars.STREAM_IDLE_TIMEOUT_MS,
      streamMaxMs: vars.STREAM_MAX_MS,
    },
    /** How often a stream waiting on the model writes an SSE comment (keeps proxies open, notices gone clients). */
    sseKeepAliveMs: vars.SSE_KEEPALIVE_MS,
    /** Score a streaming reply every this many new words (SSE `metrics` events, room partials); 0 = never. */
    partialMetricsEveryWords: vars.PARTIAL_METRICS_EVERY_WORDS,
    neo: neo?.NEO_API_KEY
      ? { apiKey: neo.NEO_API_KEY, url: neo.NEO_API_URL, timeoutMs: neo.NEO_TIMEOUT_MS }
      : undefined,
    cache: {
      redis:
        cache?.UPSTASH_REDIS_REST_URL && cache.UPSTASH_REDIS_REST_TOKEN
          ? { url: cache.UPSTASH_REDIS_REST_URL, token: cache.UPSTASH_REDIS_REST_TOKEN }
          : undefined,
      messagesTtlSeconds: vars.MESSAGES_TTL_SECONDS,
      metricsTtlSeconds: vars.METRICS_TTL_SECONDS,
      historyTurns: vars.HISTORY_TURNS,
      timeoutMs: vars.CACHE_TIMEOUT_MS,
      /** How long a write after the answer keeps retrying a cache outage (within `waitUntil`'s 30 s). */
      writeRetryMs: vars.CACHE_WRITE_RETRY_MS,
    },
    rooms: rooms.config,
    /** Optional parts whose settings are unusable: switched off (not fatal), and why, for `/health`. */
    switchedOff: rooms.problem ? [...switchedOff, { part: "rooms", reason: rooms.problem }] : switchedOff,
    auth: { keys: vars.API_KEYS, adminKeys: vars.ADMIN_API_KEYS, disabled: vars.AUTH_DISABLED },
    rateLimits: {
      chatPerMinute: vars.RATE_LIMIT_CHAT_PER_MINUTE,
      analyzePerMinute: vars.RATE_LIMIT_ANALYZE_PER_MINUTE,
      statusPerMinute: vars.RATE_LIMIT_STATUS_PER_MINUTE,
      readPerMinute: vars.RATE_LIMIT_READ_PER_MINUTE,
      writePerMinute: vars.RATE_LIMIT_WRITE_PER_MINUTE,
      searchPerMinute: vars.RATE_LIMIT_SEARCH_PER_MINUTE,
    },
    corsOrigins: vars.CORS_ORIGINS,
    audit: { maxEvents: vars.AUDIT_MAX_EVENTS },
    limits: { contextTurns: vars.MAX_CONTEXT_TURNS, contextChars: vars.MAX_CONTEXT_CHARS },
    /** Conversation memory and the semantic cache (docs/MEMORY.md), or why they are off. */
    memory,
    logLevel: vars.LOG_LEVEL,
    /** Prices, usage counters and budgets (`KEY_BUDGETS`, `MODEL_PRICES`). */
    usage: usageConfig(vars),
    /** OTLP trace export (`OTEL_*`). */
    telemetry: telemetryConfig(vars),
  };
}

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * `PARTYKIT_HOST` as a URL (`https://rooms.example.com`) or, in PartyKit's own convention, a bare
 * host (`my-app.user.partykit.dev`, `127.0.0.1:1999`: https, or http on loopback). With auth on,
 * plain http is refused except on loopback: the publish bearer would cross the network in clear.
 */
function roomsConfig(vars: z.infer<typeof EnvSchema>) {
  const { PARTYKIT_HOST: host, PARTY_SECRET: secret } = vars;
  if (!host || !secret) return { config: undefined, problem: undefined };
  const off = (problem: string) => ({ config: undefined, problem });
  let url: URL;
  try {
    const bare = !/^[a-z][a-z0-9+.-]*:\/\//i.test(host);
    url = new URL(bare ? `https://${host}` : host);
    if (bare && LOOPBACK_HOST.test(url.hostname)) url.protocol = "http:";
  } catch {
    return off("PARTYKIT_HOST is neither a URL nor a host[:port]");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return off("PARTYKIT_HOST must be an http(s) URL or a host[:port]");
  if (url.pathname !== "/" || url.search || url.hash || url.username)
    return off("PARTYKIT_HOST must be a host or an origin, without a path");
  if (url.protocol === "http:" && !vars.AUTH_DISABLED && !LOOPBACK_HOST.test(url.hostname))
    return off("PARTYKIT_HOST uses http:// off this machine while auth is on; use https://");
  return {
    config: {
      host: url.origin,
      /** `PARTY_SECRET`: publishing is authorised with a bearer derived from it. */
      secret,
      /** What room tokens are signed with (through a derived key): `ROOM_TOKEN_SECRET`, else `PARTY_SECRET`. */
      tokenSecret: vars.ROOM_TOKEN_SECRET ?? secret,
      tokenTtlSeconds: vars.ROOM_TOKEN_TTL_SECONDS,
    },
    problem: undefined,
  };
}

/** Every value that came from `env` and must never be shown: for log and response scrubbing. */
export function secretsOf(config: Config): string[] {
  return [
    ...config.providerSecrets,
    config.neo?.apiKey,
    config.cache.redis?.token,
    config.rooms?.secret,
    config.rooms?.tokenSecret,
    ...config.auth.keys.map((entry) => entry.key),
    ...config.auth.adminKeys.map((entry) => entry.key),
    ...memorySecrets(config.memory),
    ...Object.values(config.telemetry.exporter?.headers ?? {}),
  ].filter((value): value is string => typeof value === "string" && value.length > 0);
}

/** Every environment variable the worker reads: the shared ones and each provider's. */
export function envVariableNames(): string[] {
  return [
    EnvSchema,
    MemoryEnvSchema,
    ...Object.values(OPTIONAL_PARTS),
    ...PROVIDERS.map((descriptor) => descriptor.env),
  ].flatMap((schema) => Object.keys(schema.shape));
}

/**
 * Parses `env` into a typed {@link Config}: the shared variables, the optional parts, then each
 * registered provider's slice. A malformed shared value throws an {@link ApiError} naming the
 * variable, never its value; a malformed optional part or provider is switched off instead
 * (`config.switchedOff`, reported by `/health`).
 *
 * @example
 * const config = loadConfig(c.env);
 * config.providerOrder; // ["groq", "ollama"]
 */
export function loadConfig(env: Env): Config {
  const shared = EnvSchema.safeParse(env);
  if (!shared.success) {
    throw new ApiError(
      500,
      "invalid_configuration",
      `Invalid configuration: ${problemsOf(shared.error.issues)}`,
    );
  }
  const switchedOff: SwitchedOff[] = [];
  const part = <K extends keyof typeof OPTIONAL_PARTS>(name: K) => {
    const parsed = OPTIONAL_PARTS[name].safeParse(env);
    if (parsed.success) return parsed.data as z.infer<(typeof OPTIONAL_PARTS)[K]>;
    switchedOff.push({ part: name, reason: problemsOf(parsed.error.issues) });
    return undefined;
  };
  const parts: Parts = { neo: part("neo"), cache: part("cache") };
  const providers: Record<string, unknown> = {};
  const providerSecrets: string[] = [];
  for (const descriptor of PROVIDERS) {
    const vars = descriptor.env.safeParse(env);
    if (!vars.success) {
      switchedOff.push({ part: descriptor.name, reason: problemsOf(vars.error.issues) });
      continue;
    }
    const settings = descriptor.settings(vars.data);
    if (settings === undefined) continue;
    providers[descriptor.name] = settings;
    for (const secret of descriptor.secrets(settings)) if (secret) providerSecrets.push(secret);
  }
  const settings = providers as ProviderSettings;
  const memoryVars = MemoryEnvSchema.safeParse(env);
  if (!memoryVars.success) switchedOff.push({ part: "memory", reason: problemsOf(memoryVars.error.issues) });
  const memory = memoryConfig(memoryVars.success ? memoryVars.data : MemoryEnvSchema.parse({}), env, {
    ollamaUrl: settings.ollama?.baseUrl,
    openai: settings.openai,
    messagesTtlSeconds: shared.data.MESSAGES_TTL_SECONDS,
  });
  return toConfig(shared.data, parts, settings, providerSecrets, switchedOff, memory);
}
