import type { ProviderName } from "../config";

export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
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
