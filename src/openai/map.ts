import type * as z from "zod";
import { InvalidParamError, ModelNotFoundError } from "../lib/errors";
import { describeIssues } from "../middleware/error-handler";
import type { ProviderName } from "../providers";
import { sameModel } from "../providers/models";
import type { ChatTurn, CompletionOptions, ContentPart, TokenLogprob } from "../providers/types";
import type { ChatRequest, ChatResponse } from "../schemas/chat";
import {
  FINISH_REASONS,
  type FinishReason,
  type NeonNexusExtension,
  type OpenAIChatCompletion,
  type OpenAIChatRequest,
  type OpenAIMessage,
  TEXT_LIMIT,
} from "./schemas";

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

/**
 * Which provider and model `model` names: an id a provider lists wins (`openai/gpt-oss-20b` is
 * Groq's even with an `openai` provider configured), then `<provider>/<model>` for a configured
 * provider; `default` is the configured chain, each provider with its default model (so that
 * fallback applies). Any other id nobody lists is a 404 `model_not_found` — unless a provider's
 * list could not be read, and then that provider's own answer decides.
 */
export function routeModel(
  model: string,
  configured: readonly ProviderName[],
  list: { data: ReadonlyArray<{ id: string; provider: ProviderName }>; errors: readonly unknown[] },
): ModelRoute {
  const route = routeByListing(model, list.data) ?? routeByPrefix(model, configured);
  if (route) return route;
  if (model === DEFAULT_MODEL) return {};
  if (list.errors.length > 0) return { model };
  throw new ModelNotFoundError(
    `model: "${model}" is not listed by any configured provider (see GET /v1/models); ` +
      "name one as <provider>/<model>",
  );
}

/** The model id that asks for the configured chain rather than one provider's model. */
const DEFAULT_MODEL = "default";

export interface MappedChat {
  request: ChatRequest;
  /** The turns the request adds to the conversation: the user's message, or tool results. */
  turns: ChatTurn[];
  options: CompletionOptions;
  includeUsage: boolean;
  includeMetrics: boolean;
}

/**
 * Maps an OpenAI request to the chat request `/chat` takes. The trailing user messages or tool
 * results are the new turns (the last user message is the chat's `message`); the ones before them
 * the context. `developer` reads as `system` and array content as its text parts joined.
 */
export function toChatRequest(
  body: OpenAIChatRequest,
  how: {
    route: ModelRoute;
    conversationId?: string;
    metrics: ChatRequest["metrics"];
    maxTokensCap: number;
    /** `X-Include-Metrics: true`. */
    includeMetrics?: boolean;
  },
): MappedChat {
  const turns = body.messages.map(toTurn);
  let start = turns.length;
  while (start > 0 && (turns[start - 1]?.role === "user" || turns[start - 1]?.role === "tool")) start--;
  const added = turns.slice(start);
  const last = added.at(-1);
  if (!last) {
    throw new InvalidParamError("messages", "messages: the last message must be the user's or a tool result");
  }
  if (last.role === "user" && last.content.trim() === "")
    throw new InvalidParamError("messages", "messages: the last message is empty");
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  const context = turns.slice(0, start);
  const request: ChatRequest = {
    message:
      added.findLast((turn) => turn.role === "user")?.content ?? added.map((turn) => turn.content).join("\n"),
    ...(context.length > 0 ? { context } : {}),
    ...(how.conversationId ? { conversationId: how.conversationId } : {}),
    ...(how.route.provider ? { provider: how.route.provider } : {}),
    ...(how.route.model ? { model: how.route.model } : {}),
    ...(body.temperature == null ? {} : { temperature: body.temperature }),
    ...(maxTokens === undefined ? {} : { maxTokens: Math.min(maxTokens, how.maxTokensCap) }),
    stream: body.stream ?? false,
    metrics: how.metrics,
  };
  const options = optionsOf(body);
  // The semantic cache's scope is provider, model and sampling: an answer shaped by tools, a format
  // or other settings is neither taken from it nor stored in it.
  if (Object.keys(options).length > 0) request.cache = "off";
  return {
    request,
    turns: added,
    options,
    includeUsage: body.stream_options?.include_usage ?? false,
    includeMetrics: body.stream_options?.include_metrics ?? how.includeMetrics ?? false,
  };
}

function toTurn(message: OpenAIMessage, index: number): ChatTurn {
  const content = textOf(message.content, index);
  const name = message.role !== "tool" && message.name ? { name: message.name } : {};
  switch (message.role) {
    case "developer":
    case "system":
      return { role: "system", content, ...name };
    case "user": {
      const parts = Array.isArray(message.content) ? message.content : [];
      const withImages = parts.some((part) => part.type === "image_url");
      return { role: "user", content, ...(withImages ? { parts: parts as ContentPart[] } : {}), ...name };
    }
    case "assistant":
      return message.tool_calls?.length
        ? { role: "assistant", content, toolCalls: message.tool_calls, ...name }
        : { role: "assistant", content, ...name };
    case "tool":
      return { role: "tool", content, toolCallId: message.tool_call_id };
  }
}

/** A message's text: the string, or its text parts joined; at most 32,000 characters either way. */
function textOf(content: OpenAIMessage["content"], index: number): string {
  const text =
    content == null
      ? ""
      : typeof content === "string"
        ? content
        : content.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("\n");
  // The same limit as one text of the request, counted after array content is joined.
  if (text.length > TEXT_LIMIT) {
    throw new InvalidParamError(
      `messages.${index}.content`,
      `messages.${index}.content: at most ${TEXT_LIMIT} characters (this one has ${text.length})`,
    );
  }
  return text;
}

function optionsOf(body: OpenAIChatRequest): CompletionOptions {
  const options: CompletionOptions = {};
  if (body.top_p != null) options.topP = body.top_p;
  if (body.stop != null) options.stop = typeof body.stop === "string" ? [body.stop] : body.stop;
  if (body.seed != null) options.seed = body.seed;
  if (body.user != null) options.user = body.user;
  if (body.frequency_penalty != null) options.frequencyPenalty = body.frequency_penalty;
  if (body.presence_penalty != null) options.presencePenalty = body.presence_penalty;
  if (body.logprobs != null) options.logprobs = body.logprobs;
  if (body.top_logprobs != null) {
    if (!body.logprobs) {
      throw new InvalidParamError("top_logprobs", "top_logprobs: only allowed with logprobs: true");
    }
    options.topLogprobs = body.top_logprobs;
  }
  if (body.logit_bias != null) options.logitBias = body.logit_bias;
  if (body.reasoning_effort != null) options.reasoningEffort = body.reasoning_effort;
  if (body.response_format != null && body.response_format.type !== "text") {
    options.responseFormat = body.response_format;
  }
  Object.assign(options, toolOptionsOf(body));
  return options;
}

/** `tools`, `tool_choice` and `parallel_tool_calls`, checked against each other as OpenAI checks them. */
function toolOptionsOf(body: OpenAIChatRequest): CompletionOptions {
  const tools = body.tools ?? [];
  const choice = body.tool_choice ?? undefined;
  if (tools.length === 0) {
    if (choice !== undefined && choice !== "none") {
      throw new InvalidParamError("tool_choice", "tool_choice: only allowed when tools are given");
    }
    if (body.parallel_tool_calls != null) {
      throw new InvalidParamError(
        "parallel_tool_calls",
        "parallel_tool_calls: only allowed when tools are given",
      );
    }
    return {};
  }
  const names = new Set<string>();
  tools.forEach((tool, index) => {
    if (names.has(tool.function.name)) {
      throw new InvalidParamError(
        `tools.${index}.function.name`,
        `tools.${index}.function.name: "${tool.function.name}" is given twice`,
      );
    }
    names.add(tool.function.name);
  });
  if (typeof choice === "object" && !names.has(choice.function.name)) {
    throw new InvalidParamError(
      "tool_choice",
      `tool_choice: no tool named "${choice.function.name}" among the tools given`,
    );
  }
  return {
    tools,
    ...(choice === undefined ? {} : { toolChoice: choice }),
    ...(body.parallel_tool_calls == null ? {} : { parallelToolCalls: body.parallel_tool_calls }),
  };
}

/** A provider's finish reason in OpenAI's words; Ollama's `stop`/`length` already are, unknown ones read as `stop`. */
export function toFinishReason(reason: string | null | undefined): FinishReason {
  return reason && (FINISH_REASONS as readonly string[]).includes(reason) ? (reason as FinishReason) : "stop";
}

/** The extension field that carries a reply's metrics and ids. */
export function extensionOf(answer: ChatResponse): NeonNexusExtension {
  return {
    metrics: answer.metrics,
    metricsStatus: answer.metricsStatus,
    ...(answer.metricsReason ? { metricsReason: answer.metricsReason } : {}),
    ...(answer.cache ? { cache: answer.cache } : {}),
    ...(answer.recalled ? { recalled: answer.recalled } : {}),
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
  end: { finishReason: string | null; systemFingerprint?: string; logprobs?: TokenLogprob[] },
  startedAt: number,
): OpenAIChatCompletion {
  const finishReason = end.finishReason;
  return {
    ...completionHeader({ ...answer, startedAt }),
    object: "chat.completion",
    system_fingerprint: end.systemFingerprint ?? null,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: answer.message === "" && answer.toolCalls ? null : answer.message,
          refusal: null,
          ...(answer.toolCalls ? { tool_calls: answer.toolCalls } : {}),
        },
        finish_reason: toFinishReason(finishReason),
        logprobs: end.logprobs ? { content: end.logprobs } : null,
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
