import * as z from "zod";
import { ApiError } from "./lib/errors";

/** Bindings and variables the worker reads: wrangler `[vars]`, secrets and `.dev.vars`. All optional strings. */
export type Env = Record<string, string | undefined>;

export const PROVIDER_NAMES = ["groq", "ollama", "openai"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();
const url = z
  .string()
  .trim()
  .transform((value) => value.replace(/\/+$/, ""))
  .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }));
const optionalUrl = z.preprocess((value) => (value === "" ? undefined : value), url.optional());
const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(
    (value) => (value === undefined || value === "" ? fallback : Number(value)),
    z
      .number({ error: "must be a number" })
      .int({ error: "must be a whole number" })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` }),
  );
const decimal = (fallback: number, min: number, max: number) =>
  z.preprocess(
    (value) => (value === undefined || value === "" ? fallback : Number(value)),
    z.number({ error: "must be a number" }).min(min).max(max),
  );
const flag = (fallback: boolean) =>
  z.preprocess(
    (value) => (value === undefined || value === "" ? String(fallback) : String(value).toLowerCase()),
    z
      .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" })
      .transform((value) => value === "true" || value === "1" || value === "yes"),
  );
const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );
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

const EnvSchema = z
  .object({
    LLM_PROVIDERS: list.pipe(
      z.array(z.enum(PROVIDER_NAMES, { error: `each must be one of ${PROVIDER_NAMES.join(", ")}` })),
    ),
    GROQ_API_KEY: optionalText,
    GROG_API_KEY: optionalText,
    GROQ_BASE_URL: url.default("https://api.groq.com/openai/v1"),
    GROQ_MODEL: z.string().trim().min(1).default("openai/gpt-oss-20b"),
    OLLAMA_URL: optionalUrl,
    OLLAMA_MODEL: z.string().trim().min(1).default("llama3.2"),
    LOCAL_LLM_MAX_TOKENS: integer(1024, 1, 32_768),
    LOCAL_LLM_TEMPERATURE: decimal(0.7, 0, 2),
    LOCAL_LLM_GPU: flag(true),
    OPENAI_BASE_URL: optionalUrl,
    OPENAI_API_KEY: optionalText,
    OPENAI_MODEL: z.string().trim().min(1).default("gpt-4o-mini"),
    MAX_TOKENS_CAP: integer(4096, 1, 8192),
    PROVIDER_MAX_RETRIES: integer(2, 0, 5),
    PROVIDER_FIRST_BYTE_TIMEOUT_MS: integer(20_000, 100, 120_000),
    PROVIDER_TOTAL_TIMEOUT_MS: integer(60_000, 100, 300_000),
    SSE_KEEPALIVE_MS: integer(5_000, 100, 60_000),
    NEO_API_KEY: optionalText,
    NEO_API_URL: url.default("https://api.neoapi.ai"),
    NEO_TIMEOUT_MS: integer(8_000, 100, 60_000),
    UPSTASH_REDIS_REST_URL: optionalUrl,
    UPSTASH_REDIS_REST_TOKEN: optionalText,
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
    CORS_ORIGINS: list,
    AUDIT_MAX_EVENTS: integer(10_000, 100, 1_000_000),
    MAX_CONTEXT_TURNS: integer(100, 0, 100),
    MAX_CONTEXT_CHARS: integer(64_000, 1, 1_000_000),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
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

/** The typed configuration every part of the worker reads; built once per isolate from `env`. */
export type Config = ReturnType<typeof toConfig>;

function toConfig(vars: z.infer<typeof EnvSchema>) {
  const rooms = roomsConfig(vars);
  const groqKey = vars.GROQ_API_KEY ?? vars.GROG_API_KEY;
  const providers = {
    groq: groqKey ? { apiKey: groqKey, baseUrl: vars.GROQ_BASE_URL, model: vars.GROQ_MODEL } : undefined,
    ollama: vars.OLLAMA_URL
      ? {
          baseUrl: vars.OLLAMA_URL,
          model: vars.OLLAMA_MODEL,
          maxTokens: vars.LOCAL_LLM_MAX_TOKENS,
          temperature: vars.LOCAL_LLM_TEMPERATURE,
          gpu: vars.LOCAL_LLM_GPU,
        }
      : undefined,
    openai: vars.OPENAI_BASE_URL
      ? { baseUrl: vars.OPENAI_BASE_URL, apiKey: vars.OPENAI_API_KEY, model: vars.OPENAI_MODEL }
      : undefined,
  };
  const order = vars.LLM_PROVIDERS.length > 0 ? vars.LLM_PROVIDERS : [...PROVIDER_NAMES];
  return {
    providers,
    /** Configured providers, in the order they are tried. */
    providerOrder: [...new Set(order)].filter((name) => providers[name] !== undefined),
    maxTokensCap: vars.MAX_TOKENS_CAP,
    retry: { maxRetries: vars.PROVIDER_MAX_RETRIES },
    timeouts: { firstByteMs: vars.PROVIDER_FIRST_BYTE_TIMEOUT_MS, totalMs: vars.PROVIDER_TOTAL_TIMEOUT_MS },
    /** How often a stream waiting on the model writes an SSE comment (keeps proxies open, notices gone clients). */
    sseKeepAliveMs: vars.SSE_KEEPALIVE_MS,
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
      /** How long a write after the answer keeps retrying a cache outage (within `waitUntil`'s 30 s). */
      writeRetryMs: vars.CACHE_WRITE_RETRY_MS,
    },
    rooms: rooms.config,
    /** Optional parts whose settings are unusable: switched off (not fatal), and why, for `/health`. */
    switchedOff: rooms.problem ? [{ part: "rooms" as const, reason: rooms.problem }] : [],
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
    config.providers.groq?.apiKey,
    config.providers.openai?.apiKey,
    config.neo?.apiKey,
    config.cache.redis?.token,
    config.rooms?.secret,
    config.rooms?.tokenSecret,
    ...config.auth.keys.map((entry) => entry.key),
    ...config.auth.adminKeys.map((entry) => entry.key),
  ].filter((value): value is string => typeof value === "string" && value.length > 0);
}

const parsed = new WeakMap<object, Config>();

/**
 * Parses `env` into a typed {@link Config}, once per isolate (memoised on the env object).
 * A malformed value throws an {@link ApiError} naming the variable, never its value.
 *
 * @example
 * const config = loadConfig(c.env);
 * config.providerOrder; // ["groq", "ollama"]
 */
export function loadConfig(env: Env): Config {
  const known = parsed.get(env);
  if (known) return known;
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join(".")} ${issue.message}`)
      .join("; ");
    throw new ApiError(500, "invalid_configuration", `Invalid configuration: ${problems}`);
  }
  const config = toConfig(result.data);
  parsed.set(env, config);
  return config;
}
