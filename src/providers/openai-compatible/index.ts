import type { ProviderName } from "../../config";
import { errorFromThrown, ProviderError } from "../errors";
import { callUpstream, readJson, readSseData } from "../http";
import type { Completion, CompletionRequest, Provider, StreamEvent, TokenUsage } from "../types";
import { ChatCompletionChunkSchema, ChatCompletionSchema, ModelListSchema, toUsage } from "./wire";

export interface OpenAICompatibleOptions {
  name: ProviderName;
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Groq prefers `max_completion_tokens`; most other OpenAI-compatible servers only read `max_tokens`. */
  maxTokensField: "max_tokens" | "max_completion_tokens";
  firstByteMs: number;
}

/**
 * A provider for any server that speaks OpenAI's `/chat/completions` (JSON and SSE) and `/models`.
 *
 * @example
 * const groq = createOpenAICompatibleProvider({ name: "groq", baseUrl: "https://api.groq.com/openai/v1",
 *   apiKey, model: "openai/gpt-oss-20b", maxTokensField: "max_completion_tokens", firstByteMs: 20_000 });
 */
export function createOpenAICompatibleProvider(options: OpenAICompatibleOptions): Provider {
  const { name, baseUrl, model: defaultModel, firstByteMs } = options;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  const body = (request: CompletionRequest, stream: boolean) =>
    JSON.stringify({
      model: request.model ?? defaultModel,
      messages: request.messages,
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      [options.maxTokensField]: request.maxTokens ?? request.maxTokensCap,
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

    async complete(request, signal): Promise<Completion> {
      const response = await post(request, false, signal);
      const answer = await readJson(name, response, (value) => ChatCompletionSchema.safeParse(value));
      const choice = answer.choices[0];
      return {
        text: choice?.message.content ?? "",
        model: answer.model,
        usage: toUsage(answer.usage),
        finishReason: choice?.finish_reason ?? null,
      };
    },

    async *stream(request, signal): AsyncGenerator<StreamEvent> {
      const response = await post(request, true, signal);
      const body = response.body;
      if (!body) throw new ProviderError("bad_response", `${name} sent an empty stream`);
      let model = request.model ?? defaultModel;
      let usage: TokenUsage | null = null;
      let finishReason: string | null = null;
      try {
        for await (const data of readSseData(body)) {
          if (data === "[DONE]") {
            yield { type: "end", model, usage, finishReason };
            return;
          }
          const chunk = parseChunk(name, data);
          if (chunk.error || chunk.x_groq?.error) {
            throw new ProviderError("server_error", `${name} reported an error inside its stream`);
          }
          if (chunk.model) model = chunk.model;
          usage = toUsage(chunk.usage ?? chunk.x_groq?.usage) ?? usage;
          for (const choice of chunk.choices ?? []) {
            if (choice.finish_reason) finishReason = choice.finish_reason;
            const text = choice.delta?.content;
            if (text) yield { type: "delta", text };
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
      const list = await readJson(name, response, (value) => ModelListSchema.safeParse(value));
      return list.data.map((entry) => entry.id);
    },
  };
}

function parseChunk(provider: string, data: string) {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new ProviderError("bad_response", `${provider} sent a stream chunk that is not JSON`);
  }
  const chunk = ChatCompletionChunkSchema.safeParse(value);
  if (!chunk.success)
    throw new ProviderError("bad_response", `${provider} sent a stream chunk we cannot read`);
  return chunk.data;
}
