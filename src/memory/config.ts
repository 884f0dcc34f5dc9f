import * as z from "zod";
import type { EmbedderSettings, WorkersAiBinding } from "../embeddings";
import { blankIsUnset, flag, integer, optionalNumber, optionalText, optionalUrl } from "../lib/env-fields";
import type { MemorySettings } from "./index";

const EMBEDDING_PROVIDERS = ["ollama", "openai", "workers-ai"] as const;
const DEFAULT_EMBEDDING_MODELS: Record<(typeof EMBEDDING_PROVIDERS)[number], string> = {
  ollama: "nomic-embed-text",
  openai: "text-embedding-3-small",
  "workers-ai": "@cf/baai/bge-base-en-v1.5",
};

/** The variables of conversation memory and the semantic cache (docs/MEMORY.md). */
export const MemoryEnvSchema = z.object({
  EMBEDDING_PROVIDER: z.preprocess(
    blankIsUnset,
    z.enum(EMBEDDING_PROVIDERS, { error: `must be one of ${EMBEDDING_PROVIDERS.join(", ")}` }).optional(),
  ),
  EMBEDDING_MODEL: optionalText,
  EMBEDDING_BASE_URL: optionalUrl,
  EMBEDDING_API_KEY: optionalText,
  EMBEDDING_DIMENSIONS: optionalNumber(1, 4096, true),
  EMBEDDING_TIMEOUT_MS: integer(2_000, 10, 60_000),
  VECTOR_TIMEOUT_MS: integer(1_000, 10, 30_000),
  VECTOR_EF_SEARCH: optionalNumber(1, 1_000, true),
  MEMORY_RECALL_TURNS: integer(4, 0, 20),
  SEMANTIC_CACHE_THRESHOLD: optionalNumber(0, 1, false),
  SEMANTIC_CACHE_SHARED: flag(false),
});

/** The bindings memory uses: the Hyperdrive binding of the vector database, and Workers AI. */
const BindingsSchema = z.object({
  VECTOR_DB: z
    .object({ connectionString: z.string().min(1) })
    .optional()
    .catch(undefined),
  AI: z
    .custom<WorkersAiBinding>((value) => typeof (value as WorkersAiBinding | null)?.run === "function")
    .optional()
    .catch(undefined),
});

/** What the rest of the configuration offers memory: defaults for the embedding server. */
export interface MemoryDefaults {
  ollamaUrl?: string;
  openai?: { baseUrl: string; apiKey?: string };
  messagesTtlSeconds: number;
}

export type MemoryConfig =
  | { enabled: true; settings: MemorySettings; connectionString: string }
  /** Off; the embedder alone (no vector database) still serves `POST /v1/embeddings`. */
  | { enabled: false; reason: string; embedder?: EmbedderSettings };

/** The embedder the variables configure, or why there is none. */
function embedderConfig(
  vars: z.infer<typeof MemoryEnvSchema>,
  bindings: z.infer<typeof BindingsSchema>,
  defaults: MemoryDefaults,
): { embedder: EmbedderSettings } | { reason: string } {
  const provider = vars.EMBEDDING_PROVIDER;
  if (!provider) return { reason: "EMBEDDING_PROVIDER is not set" };
  const model = vars.EMBEDDING_MODEL ?? DEFAULT_EMBEDDING_MODELS[provider];
  const timeoutMs = vars.EMBEDDING_TIMEOUT_MS;
  if (provider === "workers-ai") {
    if (!bindings.AI) return { reason: "EMBEDDING_PROVIDER=workers-ai needs an [ai] binding (AI)" };
    return { embedder: { provider, binding: bindings.AI, model, timeoutMs } };
  }
  const baseUrl =
    vars.EMBEDDING_BASE_URL ?? (provider === "ollama" ? defaults.ollamaUrl : defaults.openai?.baseUrl);
  if (!baseUrl) return { reason: `EMBEDDING_PROVIDER=${provider} needs EMBEDDING_BASE_URL` };
  return {
    embedder:
      provider === "ollama"
        ? { provider, baseUrl, model, timeoutMs }
        : {
            provider,
            baseUrl,
            apiKey: vars.EMBEDDING_API_KEY ?? defaults.openai?.apiKey,
            model,
            dimensions: vars.EMBEDDING_DIMENSIONS,
            timeoutMs,
          },
  };
}

/**
 * Memory's configuration: on when an embedder is configured and the vector database is bound;
 * otherwise off, with the reason `/health` gives.
 */
export function memoryConfig(
  vars: z.infer<typeof MemoryEnvSchema>,
  env: Record<string, unknown>,
  defaults: MemoryDefaults,
): MemoryConfig {
  const bindings = BindingsSchema.parse(env);
  const configured = embedderConfig(vars, bindings, defaults);
  if ("reason" in configured) return { enabled: false, reason: configured.reason };
  const { embedder } = configured;
  if (!bindings.VECTOR_DB) return { enabled: false, reason: "no VECTOR_DB (Hyperdrive) binding", embedder };
  return {
    enabled: true,
    connectionString: bindings.VECTOR_DB.connectionString,
    settings: {
      embedder,
      timeoutMs: vars.VECTOR_TIMEOUT_MS,
      efSearch: vars.VECTOR_EF_SEARCH,
      recallTurns: vars.MEMORY_RECALL_TURNS,
      ttlSeconds: defaults.messagesTtlSeconds,
      cache:
        vars.SEMANTIC_CACHE_THRESHOLD === undefined
          ? undefined
          : { threshold: vars.SEMANTIC_CACHE_THRESHOLD, shared: vars.SEMANTIC_CACHE_SHARED },
    },
  };
}

/** The values memory's configuration holds that must never be shown: the key, the database password. */
export function memorySecrets(config: MemoryConfig): string[] {
  const apiKeyOf = (embedder?: EmbedderSettings) =>
    embedder?.provider === "openai" ? (embedder.apiKey ?? "") : "";
  if (!config.enabled) return [apiKeyOf(config.embedder)];
  const { embedder } = config.settings;
  let password = "";
  try {
    // Even one equal to the user name (postgres:postgres): a password is a password; the name is
    // redacted with it, which costs a log reader less than a leaked credential.
    password = decodeURIComponent(new URL(config.connectionString).password);
  } catch {
    // not a URL: the whole string is redacted
  }
  return [config.connectionString, password, apiKeyOf(embedder)];
}
