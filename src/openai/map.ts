import type * as z from "zod";
import type { ProviderName } from "../config";
import { ApiError } from "../lib/errors";
import { describeIssues } from "../middleware/error-handler";
import { sameModel } from "../providers/models";
import type { CompletionOptions } from "../providers/types";
import type { ChatRequest, ChatResponse, Turn } from "../schemas/chat";
import type {
  FinishReason,
  NeonNexusExtension,
  OpenAIChatCompletion,
  OpenAIChatRequest,
  OpenAIMessage,
} from "./schemas";

/** A 400 about one request field, answered with that field as OpenAI's `param`. */
export class InvalidParamError extends ApiError {
  constructor(
    readonly param: string,
    details: string,
  ) {
    super(400, "invalid_request", details);
  }
}

/** A validation failure as OpenAI reports it: the first field at fault is the `param`. */
export function invalidParam(error: z.ZodError): InvalidParamError {
  return new InvalidParamError(error.issues[0]?.path.join(".") || "body", describeIssues(error));
}

/** Which provider (and which of its models) a request's `model` asks for; neither means the default chain. */
export interface ModelRoute {
  provider?: ProviderName;
  model?: string;
}

/**
 * `<provider>/<model>` for a configured provider: that provider and model (`groq/openai/gpt-oss-20b`
 * is Groq's `openai/gpt-oss-20b`). Anything else is not routed by prefix.
 */
export function routeByPrefix(model: string, configured: readonly ProviderName[]): ModelRoute | undefined {
  const slash = model.indexOf("/");
  if (slash <= 0 || slash === model.length - 1) return undefined;
  const prefix = model.slice(0, slash) as ProviderName;
  return configured.includes(prefix) ? { provider: prefix, model: model.slice(slash + 1) } : undefined;
}

/** A bare model id that a provider lists (Ollama's `llama3.2` matches its `llama3.2:latest`). */
export function routeByListing(
  model: string,
  listing: ReadonlyArray<{ id: string; provider: ProviderName }>,
): ModelRoute | undefined {
  const entry =
    listing.find((item) => item.id === model) ?? listing.find((item) => sameModel(item.id, model));
  return entry && { provider: entry.provider, model: entry.id };
}

export interface MappedChat {
  request: ChatRequest;
  options: CompletionOptions;
  includeUsage: boolean;
}

/**
 * Maps an OpenAI request to the chat request `/chat` takes: the last message is the new user turn,
 * the ones before it the context; `developer` reads as `system` and array content as its text parts.
 */
export function toChatRequest(
  body: OpenAIChatRequest,
  how: { route: ModelRoute; conversationId?: string; metrics: ChatRequest["metrics"]; maxTokensCap: number },
): MappedChat {
  const turns = body.messages.map(toTurn);
  const last = turns.at(-1);
  if (last?.role !== "user") {
    throw new InvalidParamError("messages", "messages: the last message must be the user's");
  }
  if (last.content.trim() === "")
    throw new InvalidParamError("messages", "messages: the last message is empty");
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  const context = turns.slice(0, -1);
  const request: ChatRequest = {
    message: last.content,
    ...(context.length > 0 ? { context } : {}),
    ...(how.conversationId ? { conversationId: how.conversationId } : {}),
    ...(how.route.provider ? { provider: how.route.provider } : {}),
    ...(how.route.model ? { model: how.route.model } : {}),
    ...(body.temperature == null ? {} : { temperature: body.temperature }),
    ...(maxTokens === undefined ? {} : { maxTokens: Math.min(maxTokens, how.maxTokensCap) }),
    stream: body.stream ?? false,
    metrics: how.metrics,
  };
  return {
    request,
    options: optionsOf(body),
    includeUsage: body.stream_options?.include_usage ?? false,
  };
}

function toTurn(message: OpenAIMessage): Turn {
  const content =
    typeof message.content === "string"
      ? message.content
      : message.content.map((part) => String(part.text)).join("\n");
  return { role: message.role === "developer" ? "system" : message.role, content };
}

function optionsOf(body: OpenAIChatRequest): CompletionOptions {
  if (body.tools != null && body.tools.length > 0) {
    throw new InvalidParamError(
      "tools",
      "tools: tool calling is not supported here yet; send the request without tools",
    );
  }
  const options: CompletionOptions = {};
  if (body.top_p != null) options.topP = body.top_p;
  if (body.stop != null) options.stop = typeof body.stop === "string" ? [body.stop] : body.stop;
  if (body.seed != null) options.seed = body.seed;
  if (body.user != null) options.user = body.user;
  if (body.response_format != null && body.response_format.type !== "text") {
    options.responseFormat = body.response_format;
  }
  return options;
}

const FINISH_REASONS: readonly string[] = ["stop", "length", "tool_calls", "content_filter", "function_call"];

/** A provider's finish reason in OpenAI's words; Ollama's `stop`/`length` already are, unknown ones read as `stop`. */
export function toFinishReason(reason: string | null | undefined): FinishReason {
  return reason && FINISH_REASONS.includes(reason) ? (reason as FinishReason) : "stop";
}

/** The extension field that carries a reply's metrics and ids. */
export function extensionOf(answer: ChatResponse): NeonNexusExtension {
  return {
    metrics: answer.metrics,
    metricsStatus: answer.metricsStatus,
    messageId: answer.id,
    conversationId: answer.conversationId,
    provider: answer.provider,
  };
}

/** The fields every completion and chunk of one answer share. */
export function completionHeader(answer: { id: string; provider: string; model: string; startedAt: number }) {
  return {
    id: `chatcmpl-${answer.id}`,
    created: Math.floor(answer.startedAt / 1000),
    model: `${answer.provider}/${answer.model}`,
  };
}

/** The JSON answer: a `chat.completion` with the metrics under `neon_nexus`. */
export function toChatCompletion(
  answer: ChatResponse,
  finishReason: string | null,
  startedAt: number,
): OpenAIChatCompletion {
  return {
    ...completionHeader({ ...answer, startedAt }),
    object: "chat.completion",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: answer.message, refusal: null },
        finish_reason: toFinishReason(finishReason),
        logprobs: null,
      },
    ],
    ...(answer.usage ? { usage: toWireUsage(answer.usage) } : {}),
    neon_nexus: extensionOf(answer),
  };
}

/** OpenAI's usage object, its token details where known, and the extension `cost` (US dollars) as OpenRouter writes it. */
export function toWireUsage(usage: NonNullable<ChatResponse["usage"]>) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    ...(usage.cost === undefined ? {} : { cost: usage.cost }),
    ...(usage.estimated ? { estimated: true } : {}),
  };
}
