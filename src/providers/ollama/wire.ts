import * as z from "zod";
import { lazy } from "../../lib/lazy";

/** One NDJSON line of `POST /api/chat` (or the whole answer with `stream:false`); errors arrive as `{error}`. */
export const OllamaChatLineSchema = lazy(() =>
  z.union([
    z.object({ error: z.string() }),
    z.object({
      model: z.string(),
      message: z
        .object({
          content: z.string().default(""),
          /** Whole calls, arguments as an object; newer servers add an `id`. */
          tool_calls: z
            .array(
              z.object({
                id: z.string().optional(),
                function: z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) }),
              }),
            )
            .optional(),
        })
        .loose()
        .optional(),
      /** With `logprobs: true`, each token's, in OpenAI's shape. */
      logprobs: z.array(z.looseObject({ token: z.string(), logprob: z.number() })).optional(),
      done: z.boolean(),
      done_reason: z.string().optional(),
      prompt_eval_count: z.number().int().nonnegative().optional(),
      eval_count: z.number().int().nonnegative().optional(),
    }),
  ]),
);

export type OllamaChatLine = z.infer<ReturnType<typeof OllamaChatLineSchema>>;

export const OllamaTagsSchema = lazy(() =>
  z.object({ models: z.array(z.object({ name: z.string() }).loose()) }),
);
