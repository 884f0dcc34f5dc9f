import type { ProviderName } from "../config";

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
  maxTokens?: number;
  options?: CompletionOptions;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
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
export interface Provider {
  readonly name: ProviderName;
  readonly defaultModel: string;
  complete(request: CompletionRequest, signal: AbortSignal): Promise<Completion>;
  stream(request: CompletionRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
  listModels(signal: AbortSignal): Promise<string[]>;
}
