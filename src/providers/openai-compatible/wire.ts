import * as z from "zod";
import { lazy } from "../../lib/lazy";
import type { TokenUsage } from "../types";

export const UsageSchema = lazy(() =>
  z.object({
    prompt_tokens: z.number().int().nonnegative(),
    completion_tokens: z.number().int().nonnegative(),
    total_tokens: z.number().int().nonnegative(),
    /** OpenAI's (and Groq's) breakdowns: prompt tokens served from the prompt cache, completion tokens spent reasoning. */
    prompt_tokens_details: z.object({ cached_tokens: z.number().int().nonnegative().optional() }).nullish(),
    completion_tokens_details: z
      .object({ reasoning_tokens: z.number().int().nonnegative().optional() })
      .nullish(),
  }),
);

const UpstreamErrorSchema = lazy(() =>
  z.object({ message: z.string().optional(), code: z.unknown().optional() }).loose(),
);

/** One token's log probability; fields beyond these pass on as they come. */
const TokenLogprobSchema = lazy(() => z.looseObject({ token: z.string(), logprob: z.number() }));
const LogprobsSchema = lazy(() => z.object({ content: z.array(TokenLogprobSchema()).nullish() }).nullish());

const ToolCallSchema = lazy(() =>
  z.object({
    id: z.string(),
    type: z.literal("function").default("function"),
    function: z.object({ name: z.string(), arguments: z.string() }),
  }),
);

/** A piece of a streamed tool call: the first names it (`id`, `function.name`), the rest add `arguments`. */
const ToolCallDeltaSchema = lazy(() =>
  z.object({
    index: z.number().int().nonnegative(),
    id: z.string().nullish(),
    function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
  }),
);

/** `POST /chat/completions` non-streaming answer (OpenAI, Groq, Ollama's /v1 layer). */
export const ChatCompletionSchema = lazy(() =>
  z.object({
    model: z.string(),
    system_fingerprint: z.string().nullish(),
    choices: z
      .array(
        z.object({
          message: z.object({
            content: z.string().nullable().optional(),
            tool_calls: z.array(ToolCallSchema()).nullish(),
          }),
          finish_reason: z.string().nullable().optional(),
          logprobs: LogprobsSchema(),
        }),
      )
      .min(1),
    usage: UsageSchema().nullable().optional(),
  }),
);

/**
 * One `data:` payload of a streamed answer: what the adapter reads. Fields a server adds are left out
 * here (copying them costs on every chunk); a server's hooks read them from the raw JSON.
 */
export const ChatCompletionChunkSchema = lazy(() =>
  z.object({
    model: z.string().optional(),
    system_fingerprint: z.string().nullish(),
    choices: z
      .array(
        z.object({
          delta: z
            .object({
              content: z.string().nullable().optional(),
              tool_calls: z.array(ToolCallDeltaSchema()).nullish(),
            })
            .optional(),
          finish_reason: z.string().nullable().optional(),
          logprobs: LogprobsSchema(),
        }),
      )
      .optional(),
    usage: UsageSchema().nullable().optional(),
    error: UpstreamErrorSchema().optional(),
  }),
);

export const ModelListSchema = lazy(() => z.object({ data: z.array(z.object({ id: z.string() }).loose()) }));

export type WireUsage = z.infer<ReturnType<typeof UsageSchema>>;

export function toUsage(usage: WireUsage | null | undefined): TokenUsage | null {
  if (!usage) return null;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
    ...(cached ? { cachedTokens: cached } : {}),
    ...(reasoning ? { reasoningTokens: reasoning } : {}),
  };
}
