import * as z from "zod";
import { decimal, flag, integer, modelName, optionalUrl } from "../../lib/env-fields";
import { newToolCallId } from "../../lib/ids";
import { errorFromThrown, ProviderError } from "../errors";
import { callUpstream, readJson, readLines } from "../http";
import {
  type ChatTurn,
  type Completion,
  type CompletionEnd,
  type CompletionOptions,
  type CompletionRequest,
  defineProvider,
  type OutputFormat,
  type Provider,
  type ProviderLimits,
  type StreamEvent,
  type ToolCall,
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
          messages: nativeMessages(request.messages),
          stream,
          ...toolsOf(request.options),
          ...formatOf(request.options?.responseFormat),
          ...thinkingOf(request.options),
          options: {
            num_predict: request.maxTokens ?? Math.min(settings.maxTokens, request.maxTokensCap),
            temperature: request.temperature ?? settings.temperature,
            ...samplingOf(request.options),
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
    refuses,

    async complete(request, signal): Promise<Completion> {
      const response = await post(request, false, signal);
      const line = await readJson(name, response, (value) => OllamaChatLineSchema().safeParse(value));
      const answer = successOrThrow(line);
      const toolCalls = (answer.message?.tool_calls ?? []).map(toToolCall);
      const text = answer.message?.content ?? "";
      const logprobs = answer.logprobs ? { logprobs: answer.logprobs } : {};
      if (toolCalls.length === 0) return { text, ...logprobs, ...endOf(answer) };
      return { text, ...logprobs, toolCalls, ...endOf(answer), finishReason: "tool_calls" };
    },

    async *stream(request, signal): AsyncGenerator<StreamEvent> {
      const response = await post(request, true, signal);
      if (!response.body) throw new ProviderError("bad_response", "ollama sent an empty stream");
      let calls = 0;
      try {
        for await (const raw of readLines(response.body)) {
          const line = successOrThrow(parseLine(raw));
          const text = line.message?.content;
          if (text)
            yield line.logprobs ? { type: "delta", text, logprobs: line.logprobs } : { type: "delta", text };
          // Ollama sends each call whole, in one line: one delta carries all of it.
          for (const nativeCall of line.message?.tool_calls ?? []) {
            const call = toToolCall(nativeCall);
            const { name, arguments: args } = call.function;
            yield { type: "tool_call", index: calls++, id: call.id, name, arguments: args };
          }
          if (line.done) {
            const end = endOf(line);
            yield { type: "end", ...end, ...(calls > 0 ? { finishReason: "tool_calls" } : {}) };
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
      const tags = await readJson(name, response, (value) => OllamaTagsSchema().safeParse(value));
      return tags.models.map((model) => model.name);
    },
  };
}

/**
 * What Ollama's native API cannot say: it has no `tool_choice` but "auto" (and "none", which is
 * sending no tools), calls tools in parallel at will, takes call arguments as objects only and
 * images as base64 only (no links).
 */
function refuses(request: CompletionRequest): string | undefined {
  const options = request.options ?? {};
  const choice = options.toolChoice;
  if (choice !== undefined && choice !== "auto" && choice !== "none") return "tool_choice";
  if (options.parallelToolCalls === false) return "parallel_tool_calls";
  if (options.logitBias !== undefined) return "logit_bias";
  if (options.reasoningEffort === "minimal") return "reasoning_effort";
  for (const [index, turn] of request.messages.entries()) {
    const linked = turn.parts?.findIndex(
      (part) => part.type === "image_url" && !DATA_URL.test(part.image_url.url),
    );
    if (linked !== undefined && linked >= 0) return `messages.${index}.content.${linked}.image_url`;
  }
  const unreadable = request.messages.some((turn) =>
    turn.toolCalls?.some((call) => argumentsObject(call.function.arguments) === undefined),
  );
  return unreadable ? "messages" : undefined;
}

/**
 * `logprobs`/`top_logprobs` are Ollama's own fields; `reasoning_effort` is its `think` (`none`
 * turns thinking off, the levels pass as they are).
 */
function thinkingOf(options: CompletionOptions = {}) {
  return {
    ...(options.logprobs === undefined ? {} : { logprobs: options.logprobs }),
    ...(options.topLogprobs === undefined ? {} : { top_logprobs: options.topLogprobs }),
    ...(options.reasoningEffort === undefined
      ? {}
      : { think: options.reasoningEffort === "none" ? false : options.reasoningEffort }),
  };
}

/** Tools in OpenAI's shape, which Ollama reads; `tool_choice: "none"` sends none. */
function toolsOf(options: CompletionOptions = {}) {
  if (!options.tools?.length || options.toolChoice === "none") return {};
  return {
    tools: options.tools.map(({ type, function: { name, description, parameters } }) => ({
      type,
      function: { name, description, parameters },
    })),
  };
}

/**
 * Turns in Ollama's words: an assistant's calls with their arguments as objects, a tool result
 * with the name of the tool that made it (`tool_name`), found from the call it answers.
 */
function nativeMessages(turns: readonly ChatTurn[]) {
  const toolNames = new Map<string, string>();
  return turns.map((turn) => {
    if (turn.role === "tool") {
      const toolName = turn.toolCallId ? toolNames.get(turn.toolCallId) : undefined;
      return { role: "tool", content: turn.content, ...(toolName ? { tool_name: toolName } : {}) };
    }
    if (turn.role === "assistant" && turn.toolCalls?.length) {
      for (const call of turn.toolCalls) toolNames.set(call.id, call.function.name);
      return {
        role: "assistant",
        content: turn.content,
        tool_calls: turn.toolCalls.map((call) => ({
          function: { name: call.function.name, arguments: argumentsObject(call.function.arguments) ?? {} },
        })),
      };
    }
    const images = turn.parts?.flatMap((part) =>
      part.type === "image_url" ? [part.image_url.url.replace(DATA_URL, "")] : [],
    );
    return { role: turn.role, content: turn.content, ...(images?.length ? { images } : {}) };
  });
}

/** Ollama takes images as base64 only: `data:` URLs are read, links are refused. */
const DATA_URL = /^data:image\/[a-z0-9.+-]+;base64,/i;

function argumentsObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text === "" ? "{}" : text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** An Ollama call in OpenAI's words: arguments as JSON text, and an id made when it has none. */
function toToolCall(call: {
  id?: string;
  function: { name: string; arguments: Record<string, unknown> };
}): ToolCall {
  return {
    id: call.id ?? newToolCallId(),
    type: "function",
    function: { name: call.function.name, arguments: JSON.stringify(call.function.arguments) },
  };
}

/** OpenAI's `response_format` as Ollama's `format`: `"json"`, or the JSON Schema itself. */
function formatOf(format: OutputFormat | undefined) {
  if (!format) return {};
  const schema = format.type === "json_schema" ? format.json_schema.schema : undefined;
  return { format: schema ?? "json" };
}

/** `top_p`, `stop`, `seed` and the penalties are Ollama options of the same names; it has no end-user id. */
function samplingOf(options: CompletionOptions = {}) {
  return {
    ...(options.frequencyPenalty === undefined ? {} : { frequency_penalty: options.frequencyPenalty }),
    ...(options.presencePenalty === undefined ? {} : { presence_penalty: options.presencePenalty }),
    ...(options.topP === undefined ? {} : { top_p: options.topP }),
    ...(options.stop === undefined ? {} : { stop: options.stop }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
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
  const line = OllamaChatLineSchema().safeParse(value);
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
