import type * as z from "zod";

export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

/** A structured-output request in OpenAI's words; each provider maps it to its own. */
export type OutputFormat =
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: {
        name: string;
        description?: string;
        schema?: Record<string, unknown>;
        strict?: boolean | null;
      };
    };

/** Sampling and output settings beyond temperature and length (OpenAI's `top_p`, `stop`, …). */
export interface CompletionOptions {
  topP?: number;
  stop?: string[];
  seed?: number;
  /** An end-user id passed on for the provider's abuse monitoring, where it takes one. */
  user?: string;
  responseFormat?: OutputFormat;
}

/** What the chain asks of a provider: the conversation so far and the sampling settings. */
export interface CompletionRequest {
  messages: ChatTurn[];
  model?: string;
  temperature?: number;
  /** The client's limit, already capped at `maxTokensCap`. */
  maxTokens?: number;
  /** `MAX_TOKENS_CAP`: sent whenever the client gives no limit, so no answer is unbounded. */
  maxTokensCap: number;
  options?: CompletionOptions;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Of the prompt tokens, those served from the provider's prompt cache (when it says). */
  cachedTokens?: number;
  /** Of the completion tokens, those spent reasoning (when it says). */
  reasoningTokens?: number;
}

export interface CompletionEnd {
  model: string;
  usage: TokenUsage | null;
  finishReason: string | null;
}

export interface Completion extends CompletionEnd {
  text: string;
}

export type StreamEvent = { type: "delta"; text: string } | ({ type: "end" } & CompletionEnd);

/**
 * One LLM backend. Each lives in its own folder under `providers/` and maps our request to its wire
 * format and back. Failures are thrown as {@link ProviderError}.
 */
export interface Provider<Name extends string = string> {
  readonly name: Name;
  readonly defaultModel: string;
  complete(request: CompletionRequest, signal: AbortSignal): Promise<Completion>;
  stream(request: CompletionRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
  listModels(signal: AbortSignal): Promise<string[]>;
}

/** What every provider is built with besides its own settings. */
export interface ProviderLimits {
  /** Abort a call when no response headers arrived within this many milliseconds. */
  firstByteMs: number;
}

/**
 * Everything about one provider, in its own folder: the environment variables it reads (a slice of
 * the env schema, validated with the rest), how they become its settings, which of them are secrets,
 * and how to build it. `providers/registry.ts` lists the descriptors; the configuration, the secrets
 * list and the "no provider configured" message are derived from that list.
 *
 * @example
 * export const ollama = defineProvider({ name: "ollama", setup: "OLLAMA_URL (Ollama)",
 *   env: z.object({ OLLAMA_URL: optionalUrl }), settings: (vars) => vars.OLLAMA_URL && { baseUrl: vars.OLLAMA_URL },
 *   secrets: () => [], create: (settings, limits) => createOllamaProvider(settings, limits) });
 */
export interface ProviderDescriptor<Name extends string, Vars extends z.ZodObject, Settings> {
  readonly name: Name;
  /** The variable that switches it on and a label, for the "no provider configured" message. */
  readonly setup: string;
  /** Its slice of the environment schema. */
  readonly env: Vars;
  /** Its settings from its parsed variables; `undefined` when it is not configured. */
  settings(vars: z.output<Vars>): Settings | undefined;
  /** The values among its settings that must never be shown (logs, errors, responses). */
  secrets(settings: Settings): ReadonlyArray<string | undefined>;
  create(settings: Settings, limits: ProviderLimits): Provider<Name>;
}

/** Declares a provider's descriptor (identity at runtime; keeps its name and settings types). */
export function defineProvider<const Name extends string, Vars extends z.ZodObject, Settings>(
  descriptor: ProviderDescriptor<Name, Vars, Settings>,
): ProviderDescriptor<Name, Vars, Settings> {
  return descriptor;
}
