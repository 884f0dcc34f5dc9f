import * as z from "zod";
import { lazy } from "../../lib/lazy";
import type { OpenAICompatibleHooks } from "../openai-compatible";
import { toUsage, UsageSchema } from "../openai-compatible/wire";

/** What Groq adds to a streamed chunk: usage and in-stream errors under `x_groq`. */
const GroqChunkSchema = lazy(() =>
  z.object({
    x_groq: z.object({ usage: UsageSchema().optional(), error: z.string().optional() }).optional(),
  }),
);

/** Groq's wire quirks on top of the OpenAI-compatible adapter. */
export const groqHooks: OpenAICompatibleHooks = {
  maxTokensField: "max_completion_tokens",
  /** Groq takes these fields but no model of its honours them: a 400 says so instead of dropping them. */
  refuses({ options = {} }) {
    if (options.logprobs) return "logprobs";
    if (options.topLogprobs !== undefined) return "top_logprobs";
    if (options.logitBias !== undefined) return "logit_bias";
    return undefined;
  },
  readChunk(chunk) {
    const extras = GroqChunkSchema().safeParse(chunk);
    const groq = extras.success ? extras.data.x_groq : undefined;
    return { usage: toUsage(groq?.usage), failed: groq?.error !== undefined };
  },
};
