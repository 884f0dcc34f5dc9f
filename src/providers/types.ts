import type * as z from "zod";

/** One call of a tool the model asks for; `arguments` is JSON text, as in OpenAI's wire format. */
export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** A function the model may call, in OpenAI's shape (`parameters` is a JSON Schema). */
export interface ToolDefinition {
  type: "function";
  function: {
    name: string;
    description?: string;
    parameters?: Record<string, unknown>;
    strict?: boolean | null;
  };
}

export type ToolChoice = "none" | "auto" | "required" | { type: "function"; function: { name: string } };

/** An image in a user turn, by URL or `data:` URL, in OpenAI's shape. */
export interface ImagePart {
  type: "image_url";
  image_url: { url: string; detail?: "auto" | "low" | "high" };
}

/** A user turn's content as the client sent it, when it holds more than text (images). */
export type ContentPart = { type: "text"; text: string } | ImagePart;

/**
 * One turn of the conversation. `content` is always its text (what is scored, remembered and
 * budgeted); a user turn with images also keeps all its `parts`. An assistant turn may carry the
 * tool calls it made (its `content` is then often empty); a `tool` turn is the result of the call
 * named by `toolCallId`. `name` tells participants of one role apart, where the provider reads it.
 */
export interface ChatTurn {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  parts?: ContentPart[];
  toolCalls?: ToolCall[];
  toolCallId?: string;
  name?: string;
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
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  frequencyPenalty?: number;
  presencePenalty?: number;
  /** Answer each token's log probability (and the `topLogprobs` likeliest alternatives). */
  logprobs?: boolean;
  topLogprobs?: number;
  logitBias?: Record<string, number>;
  /** How hard a reasoning model thinks: `none`, `minimal`, `low`, `medium`, `high`. */
  reasoningEffort?: string;
}

/** One token's log probability, in OpenAI's shape (`choices[].logprobs.content[]`); Ollama's is the same. */
export type TokenLogprob = {
  token: string;
  logprob: number;
  bytes?: number[] | null;
  top_logprobs?: Array<{ token: string; logprob: number; bytes?: number[] | null }>;
};

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
  /** The backend configuration that answered, when the provider says (OpenAI's `system_fingerprint`). */
  systemFingerprint?: string;
}

export interface Completion extends CompletionEnd {
  text: string;
  /** Each token's log probability, when the request asked for them. */
  logprobs?: TokenLogprob[];
  /** The tools the model called, in order; absent when it called none. */
  toolCalls?: ToolCall[];
}

/**
 * A piece of a streamed tool call: the call's position among the reply's calls, and an `arguments`
 * fragment to append. Its first piece names the call (`id`, `name`); a provider that gives no id
 * leaves it to the chat path to make one.
 */
export interface ToolCallDelta {
  type: "tool_call";
  index: number;
  id?: string;
  name?: string;
  arguments: string;
}

export type StreamEvent =
  | { type: "delta"; text: string; logprobs?: TokenLogprob[] }
  | ToolCallDelta
  | ({ type: "end" } & CompletionEnd);

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
  /**
   * The request parameter (OpenAI's name, e.g. `tool_choice`) this provider cannot honour for
   * `request`, if any: the chain does not ask it, and a request no provider can honour is a 400.
   */
  refuses?(request: CompletionRequest): string | undefined;
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
