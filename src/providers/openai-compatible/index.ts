import { errorFromThrown, ProviderError } from "../errors";
import { callUpstream, readJson, readSseData } from "../http";
import type {
  ChatTurn,
  Completion,
  CompletionOptions,
  CompletionRequest,
  Provider,
  ProviderLimits,
  StreamEvent,
  TokenUsage,
} from "../types";
import { ChatCompletionChunkSchema, ChatCompletionSchema, ModelListSchema, toUsage } from "./wire";

/** A server's departures from OpenAI's wire format, kept in that provider's folder. */
export interface OpenAICompatibleHooks {
  /** The token cap's field: most servers read `max_tokens` (the default), Groq prefers `max_completion_tokens`. */
  maxTokensField?: "max_tokens" | "max_completion_tokens";
  /**
   * Reads what the server adds to a streamed chunk (usage sent elsewhere, an error inside the stream)
   * from the chunk's parsed JSON, validating it with a schema of its own.
   */
  readChunk?(chunk: unknown): { usage: TokenUsage | null; failed: boolean };
  /** The request parameter the server cannot honour, if any (see `Provider.refuses`). */
  refuses?(request: CompletionRequest): string | undefined;
}

export interface OpenAICompatibleOptions<Name extends string> extends ProviderLimits {
  name: Name;
  baseUrl: string;
  apiKey?: string;
  model: string;
  hooks?: OpenAICompatibleHooks;
}

/**
 * A provider for any server that speaks OpenAI's `/chat/completions` (JSON and SSE) and `/models`.
 *
 * @example
 * const openai = createOpenAICompatibleProvider({ name: "openai", baseUrl: "https://api.openai.com/v1",
 *   apiKey, model: "gpt-4o-mini", firstByteMs: 20_000 });
 */
export function createOpenAICompatibleProvider<const Name extends string>(
  options: OpenAICompatibleOptions<Name>,
): Provider<Name> {
  const { name, baseUrl, model: defaultModel, firstByteMs, hooks = {} } = options;
  const maxTokensField = hooks.maxTokensField ?? "max_tokens";
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  const body = (request: CompletionRequest, stream: boolean) =>
    JSON.stringify({
      model: request.model ?? defaultModel,
      messages: request.messages.map(wireMessage),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      [maxTokensField]: request.maxTokens ?? request.maxTokensCap,
      ...wireOptions(request.options),
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    });

  const post = (request: CompletionRequest, stream: boolean, signal: AbortSignal) =>
    callUpstream({
      provider: name,
      url: `${baseUrl}/chat/completions`,
      init: { method: "POST", headers, body: body(request, stream) },
      signal,
      firstByteMs,
    });

  return {
    name,
    defaultModel,
    ...(hooks.refuses ? { refuses: hooks.refuses } : {}),

    async complete(request, signal): Promise<Completion> {
      const response = await post(request, false, signal);
      const answer = await readJson(name, response, (value) => ChatCompletionSchema().safeParse(value));
      const choice = answer.choices[0];
      const toolCalls = choice?.message.tool_calls ?? [];
      const logprobs = choice?.logprobs?.content;
      return {
        text: choice?.message.content ?? "",
        ...(logprobs ? { logprobs } : {}),
        ...(toolCalls.length > 0 ? { toolCalls } : {}),
        model: answer.model,
        usage: toUsage(answer.usage),
        finishReason: choice?.finish_reason ?? null,
        ...(answer.system_fingerprint ? { systemFingerprint: answer.system_fingerprint } : {}),
      };
    },

    async *stream(request, signal): AsyncGenerator<StreamEvent> {
      const response = await post(request, true, signal);
      const body = response.body;
      if (!body) throw new ProviderError("bad_response", `${name} sent an empty stream`);
      let model = request.model ?? defaultModel;
      let usage: TokenUsage | null = null;
      let finishReason: string | null = null;
      let fingerprint: string | undefined;
      try {
        for await (const data of readSseData(body)) {
          if (data === "[DONE]") {
            yield {
              type: "end",
              model,
              usage,
              finishReason,
              ...(fingerprint ? { systemFingerprint: fingerprint } : {}),
            };
            return;
          }
          const raw = parseJsonChunk(name, data);
          const chunk = readChunk(name, raw);
          const extras = hooks.readChunk?.(raw);
          if (chunk.error || extras?.failed) {
            throw new ProviderError("server_error", `${name} reported an error inside its stream`);
          }
          if (chunk.model) model = chunk.model;
          if (chunk.system_fingerprint) fingerprint = chunk.system_fingerprint;
          usage = toUsage(chunk.usage) ?? extras?.usage ?? usage;
          for (const choice of chunk.choices ?? []) {
            if (choice.finish_reason) finishReason = choice.finish_reason;
            const text = choice.delta?.content;
            const logprobs = choice.logprobs?.content;
            if (text) yield logprobs ? { type: "delta", text, logprobs } : { type: "delta", text };
            for (const call of choice.delta?.tool_calls ?? []) {
              yield {
                type: "tool_call",
                index: call.index,
                ...(call.id ? { id: call.id } : {}),
                ...(call.function?.name ? { name: call.function.name } : {}),
                arguments: call.function?.arguments ?? "",
              };
            }
          }
        }
      } catch (error) {
        throw errorFromThrown(name, error, signal);
      }
      throw new ProviderError("bad_response", `${name} closed its stream before [DONE]`);
    },

    async listModels(signal) {
      const response = await callUpstream({
        provider: name,
        url: `${baseUrl}/models`,
        init: { headers },
        signal,
        firstByteMs,
      });
      const list = await readJson(name, response, (value) => ModelListSchema().safeParse(value));
      return list.data.map((entry) => entry.id);
    },
  };
}

/** A turn in OpenAI's words: tool calls on the assistant's (content null when it has none), the call id on a tool's. */
function wireMessage(turn: ChatTurn) {
  const name = turn.name === undefined ? {} : { name: turn.name };
  if (turn.role === "tool") return { role: "tool", content: turn.content, tool_call_id: turn.toolCallId };
  if (turn.role === "assistant" && turn.toolCalls?.length) {
    return {
      role: "assistant",
      content: turn.content === "" ? null : turn.content,
      tool_calls: turn.toolCalls,
      ...name,
    };
  }
  return { role: turn.role, content: turn.parts ?? turn.content, ...name };
}

/** OpenAI's names for the settings beyond temperature and length; a setting not asked for is not sent. */
function wireOptions(options: CompletionOptions = {}) {
  return {
    ...(options.tools === undefined ? {} : { tools: options.tools }),
    ...(options.toolChoice === undefined ? {} : { tool_choice: options.toolChoice }),
    ...(options.parallelToolCalls === undefined ? {} : { parallel_tool_calls: options.parallelToolCalls }),
    ...(options.frequencyPenalty === undefined ? {} : { frequency_penalty: options.frequencyPenalty }),
    ...(options.presencePenalty === undefined ? {} : { presence_penalty: options.presencePenalty }),
    ...(options.logprobs === undefined ? {} : { logprobs: options.logprobs }),
    ...(options.topLogprobs === undefined ? {} : { top_logprobs: options.topLogprobs }),
    ...(options.logitBias === undefined ? {} : { logit_bias: options.logitBias }),
    ...(options.reasoningEffort === undefined ? {} : { reasoning_effort: options.reasoningEffort }),
    ...(options.topP === undefined ? {} : { top_p: options.topP }),
    ...(options.stop === undefined ? {} : { stop: options.stop }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.responseFormat === undefined ? {} : { response_format: options.responseFormat }),
  };
}

function parseJsonChunk(provider: string, data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new ProviderError("bad_response", `${provider} sent a stream chunk that is not JSON`);
  }
}

function readChunk(provider: string, value: unknown) {
  const chunk = ChatCompletionChunkSchema().safeParse(value);
  if (!chunk.success)
    throw new ProviderError("bad_response", `${provider} sent a stream chunk we cannot read`);
  return chunk.data;
}
