import * as z from "zod";
import { flag, integer, list, optionalText, optionalUrl, url } from "./lib/env-fields";
import { ApiError } from "./lib/errors";
import { PROVIDER_NAMES, PROVIDERS, type ProviderSettings } from "./providers/registry";

/** Bindings and variables the worker reads: wrangler `[vars]`, secrets and `.dev.vars`. All optional strings. */
export type Env = Record<string, string | undefined>;

export type { ProviderName } from "./providers/registry";
export { PROVIDER_NAMES } from "./providers/registry";

/** `name:key` pairs separated by commas; a bare key is named by its position. */
const namedKeys = list.pipe(
  z.array(z.string()).transform((items, ctx) =>
    items.map((item, index) => {
      const colon = item.indexOf(":");
      const name = colon > 0 ? item.slice(0, colon).trim() : `key${index + 1}`;
      const key = colon > 0 ? item.slice(colon + 1).trim() : item;
      if (key.length < 16)
        ctx.addIssue({ code: "custom", message: `key "${name}" is shorter than 16 characters` });
      return { name, key };
    }),
  ),
);

/** The variables every deployment shares; each provider's own live in its descriptor. */
const EnvSchema = z.object({
  LLM_PROVIDERS: list.pipe(
    z.array(z.enum(PROVIDER_NAMES, { error: `each must be one of ${PROVIDER_NAMES.join(", ")}` })),
  ),
  MAX_TOKENS_CAP: integer(4096, 1, 8192),
  PROVIDER_MAX_RETRIES: integer(2, 0, 5),
  PROVIDER_FIRST_BYTE_TIMEOUT_MS: integer(20_000, 100, 120_000),
  PROVIDER_TOTAL_TIMEOUT_MS: integer(60_000, 100, 300_000),
  SSE_KEEPALIVE_MS: integer(5_000, 100, 60_000),
  PARTIAL_METRICS_EVERY_WORDS: integer(40, 0, 10_000),
  NEO_API_KEY: optionalText,
  NEO_API_URL: url.default("https://api.neoapi.ai"),
  NEO_TIMEOUT_MS: integer(8_000, 100, 60_000),
  UPSTASH_REDIS_REST_URL: optionalUrl,
  UPSTASH_REDIS_REST_TOKEN: optionalText,
  MESSAGES_TTL_SECONDS: integer(86_400, 1, 31_536_000),
  METRICS_TTL_SECONDS: integer(604_800, 1, 31_536_000),
  HISTORY_TURNS: integer(20, 1, 200),
  CACHE_TIMEOUT_MS: integer(500, 10, 10_000),
  PARTYKIT_HOST: optionalUrl,
  PARTY_SECRET: optionalText,
  ROOM_TOKEN_TTL_SECONDS: integer(300, 10, 86_400),
  API_KEYS: namedKeys,
  ADMIN_API_KEYS: namedKeys,
  AUTH_DISABLED: flag(false),
  RATE_LIMIT_CHAT_PER_MINUTE: integer(60, 1, 100_000),
  RATE_LIMIT_ANALYZE_PER_MINUTE: integer(300, 1, 100_000),
  CORS_ORIGINS: list,
  AUDIT_MAX_EVENTS: integer(10_000, 100, 1_000_000),
  MAX_CONTEXT_TURNS: integer(100, 0, 100),
  MAX_CONTEXT_CHARS: integer(64_000, 1, 1_000_000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

/** The typed configuration every part of the worker reads; built once per isolate from `env`. */
export type Config = ReturnType<typeof toConfig>;

function toConfig(vars: z.infer<typeof EnvSchema>, providers: ProviderSettings, providerSecrets: string[]) {
  const order = vars.LLM_PROVIDERS.length > 0 ? vars.LLM_PROVIDERS : [...PROVIDER_NAMES];
  return {
    providers,
    /** Configured providers, in the order they are tried. */
    providerOrder: [...new Set(order)].filter((name) => providers[name] !== undefined),
    /** The providers' secret settings (API keys), named by their descriptors. */
    providerSecrets,
    maxTokensCap: vars.MAX_TOKENS_CAP,
    retry: { maxRetries: vars.PROVIDER_MAX_RETRIES },
    timeouts: { firstByteMs: vars.PROVIDER_FIRST_BYTE_TIMEOUT_MS, totalMs: vars.PROVIDER_TOTAL_TIMEOUT_MS },
    /** How often a stream waiting on the model writes an SSE comment (keeps proxies open, notices gone clients). */
    sseKeepAliveMs: vars.SSE_KEEPALIVE_MS,
    /** Score a streaming reply every this many new words (SSE `metrics` events, room partials); 0 = never. */
    partialMetricsEveryWords: vars.PARTIAL_METRICS_EVERY_WORDS,
    neo: vars.NEO_API_KEY
      ? { apiKey: vars.NEO_API_KEY, url: vars.NEO_API_URL, timeoutMs: vars.NEO_TIMEOUT_MS }
      : undefined,
    cache: {
      redis:
        vars.UPSTASH_REDIS_REST_URL && vars.UPSTASH_REDIS_REST_TOKEN
          ? { url: vars.UPSTASH_REDIS_REST_URL, token: vars.UPSTASH_REDIS_REST_TOKEN }
          : undefined,
      messagesTtlSeconds: vars.MESSAGES_TTL_SECONDS,
      metricsTtlSeconds: vars.METRICS_TTL_SECONDS,
      historyTurns: vars.HISTORY_TURNS,
      timeoutMs: vars.CACHE_TIMEOUT_MS,
    },
    rooms:
      vars.PARTYKIT_HOST && vars.PARTY_SECRET
        ? {
            host: vars.PARTYKIT_HOST,
            secret: vars.PARTY_SECRET,
            tokenTtlSeconds: vars.ROOM_TOKEN_TTL_SECONDS,
          }
        : undefined,
    auth: { keys: vars.API_KEYS, adminKeys: vars.ADMIN_API_KEYS, disabled: vars.AUTH_DISABLED },
    rateLimits: {
      chatPerMinute: vars.RATE_LIMIT_CHAT_PER_MINUTE,
      analyzePerMinute: vars.RATE_LIMIT_ANALYZE_PER_MINUTE,
    },
    corsOrigins: vars.CORS_ORIGINS,
    audit: { maxEvents: vars.AUDIT_MAX_EVENTS },
    limits: { contextTurns: vars.MAX_CONTEXT_TURNS, contextChars: vars.MAX_CONTEXT_CHARS },
    logLevel: vars.LOG_LEVEL,
  };
}

/** Every value that came from `env` and must never be shown: for log and response scrubbing. */
export function secretsOf(config: Config): string[] {
  return [
    ...config.providerSecrets,
    config.neo?.apiKey,
    config.cache.redis?.token,
    config.rooms?.secret,
    ...config.auth.keys.map((entry) => entry.key),
    ...config.auth.adminKeys.map((entry) => entry.key),
  ].filter((value): value is string => typeof value === "string" && value.length > 0);
}

/** Every environment variable the worker reads: the shared ones and each provider's. */
export function envVariableNames(): string[] {
  return [EnvSchema, ...PROVIDERS.map((descriptor) => descriptor.env)].flatMap((schema) =>
    Object.keys(schema.shape),
  );
}

/**
 * Parses `env` into a typed {@link Config}: the shared variables, then each registered provider's
 * slice. A malformed value throws an {@link ApiError} naming the variable, never its value.
 *
 * @example
 * const config = loadConfig(c.env);
 * config.providerOrder; // ["groq", "ollama"]
 */
export function loadConfig(env: Env): Config {
  const issues: z.core.$ZodIssue[] = [];
  const shared = EnvSchema.safeParse(env);
  if (!shared.success) issues.push(...shared.error.issues);
  const providers: Record<string, unknown> = {};
  const providerSecrets: string[] = [];
  for (const descriptor of PROVIDERS) {
    const vars = descriptor.env.safeParse(env);
    if (!vars.success) {
      issues.push(...vars.error.issues);
      continue;
    }
    const settings = descriptor.settings(vars.data);
    if (settings === undefined) continue;
    providers[descriptor.name] = settings;
    for (const secret of descriptor.secrets(settings)) if (secret) providerSecrets.push(secret);
  }
  if (!shared.success || issues.length > 0) {
    const problems = issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ");
    throw new ApiError(500, "invalid_configuration", `Invalid configuration: ${problems}`);
  }
  return toConfig(shared.data, providers as ProviderSettings, providerSecrets);
}
