import * as z from "zod";
import { decimal, flag, integer, modelName, optionalUrl } from "../../lib/env-fields";
import { errorFromThrown, ProviderError } from "../errors";
import { callUpstream, readJson, readLines } from "../http";
import {
  type Completion,
  type CompletionEnd,
  type CompletionRequest,
  defineProvider,
  type Provider,
  type ProviderLimits,
  type StreamEvent,
} from "../types";
import { type OllamaChatLine, OllamaChatLineSchema, OllamaTagsSchema } from "./wire";

/** A local model served by Ollama; the `LOCAL_LLM_*` variables set its sampling and GPU use. */
export const ollama = defineProvider({
  name: "ollama",
  setup: "OLLAMA_URL (Ollama)",
  env: z.object({
    OLLAMA_URL: optionalUrl,
    OLLAMA_MODEL: modelName("llama3.2"),
    LOCAL_LLM_MAX_TOKENS: integer(1024, 1, 32_768),
    LOCAL_LLM_TEMPERATURE: decimal(0.7, 0, 2),
    LOCAL_LLM_GPU: flag(true),
  }),
  settings: (vars) =>
    vars.OLLAMA_URL
      ? {
          baseUrl: vars.OLLAMA_URL,
          model: vars.OLLAMA_MODEL,
          maxTokens: vars.LOCAL_LLM_MAX_TOKENS,
          temperature: vars.LOCAL_LLM_TEMPERATURE,
          gpu: vars.LOCAL_LLM_GPU,
        }
      : undefined,
  secrets: () => [],
  create: (settings, limits) => createOllamaProvider(settings, limits),
});

interface OllamaSettings {
  baseUrl: string;
  model: string;
  maxTokens: number;
  temperature: number;
  gpu: boolean;
}

/**
 * Ollama's native API: `POST /api/chat` (NDJSON stream, nanosecond timings) and `GET /api/tags`.
 * The local-model settings map to `options`: maxTokens → `num_predict`, gpu:false → `num_gpu: 0`.
 */
export function createOllamaProvider(
  settings: OllamaSettings,
  { firstByteMs }: ProviderLimits,
): Provider<"ollama"> {
  const name = "ollama" as const;

  const post = (request: CompletionRequest, stream: boolean, signal: AbortSignal) =>
    callUpstream({
      provider: name,
      url: `${settings.baseUrl}/api/chat`,
      init: {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: request.model ?? settings.model,
          messages: request.messages,
          stream,
          options: {
            num_predict: request.maxTokens ?? Math.min(settings.maxTokens, request.maxTokensCap),
            temperature: request.temperature ?? settings.temperature,
            ...(settings.gpu ? {} : { num_gpu: 0 }),
          },
        }),
      },
      signal,
      firstByteMs,
    });

  return {
    name,
    defaultModel: settings.model,

    async complete(request, signal): Promise<Completion> {
      const response = await post(request, false, signal);
      const line = await readJson(name, response, (value) => OllamaChatLineSchema.safeParse(value));
      const answer = successOrThrow(line);
      return { text: answer.message?.content ?? "", ...endOf(answer) };
    },

    async *stream(request, signal): AsyncGenerator<StreamEvent> {
      const response = await post(request, true, signal);
      if (!response.body) throw new ProviderError("bad_response", "ollama sent an empty stream");
      try {
        for await (const raw of readLines(response.body)) {
          const line = successOrThrow(parseLine(raw));
          const text = line.message?.content;
          if (text) yield { type: "delta", text };
          if (line.done) {
            yield { type: "end", ...endOf(line) };
            return;
          }
        }
      } catch (error) {
        throw errorFromThrown(name, error, signal);
      }
      throw new ProviderError("bad_response", "ollama closed its stream before the final line");
    },

    async listModels(signal) {
      const response = await callUpstream({
        provider: name,
        url: `${settings.baseUrl}/api/tags`,
        init: {},
        signal,
        firstByteMs,
      });
      const tags = await readJson(name, response, (value) => OllamaTagsSchema.safeParse(value));
      return tags.models.map((model) => model.name);
    },
  };
}

type OllamaSuccess = Exclude<OllamaChatLine, { error: string }>;

function successOrThrow(line: OllamaChatLine): OllamaSuccess {
  if ("error" in line) throw new ProviderError("server_error", "ollama reported an error inside its answer");
  return line;
}

function parseLine(raw: string): OllamaChatLine {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ProviderError("bad_response", "ollama sent a line that is not JSON");
  }
  const line = OllamaChatLineSchema.safeParse(value);
  if (!line.success) throw new ProviderError("bad_response", "ollama sent a line we cannot read");
  return line.data;
}

function endOf(line: OllamaSuccess): CompletionEnd {
  const promptTokens = line.prompt_eval_count ?? 0;
  const completionTokens = line.eval_count ?? 0;
  return {
    model: line.model,
    usage:
      line.prompt_eval_count === undefined && line.eval_count === undefined
        ? null
        : { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
    finishReason: line.done_reason ?? null,
  };
}
