import * as z from "zod";

/** One NDJSON line of `POST /api/chat` (or the whole answer with `stream:false`); errors arrive as `{error}`. */
export const OllamaChatLineSchema = z.union([
  z.object({ error: z.string() }),
  z.object({
    model: z.string(),
    message: z
      .object({ content: z.string().default("") })
      .loose()
      .optional(),
    done: z.boolean(),
    done_reason: z.string().optional(),
    prompt_eval_count: z.number().int().nonnegative().optional(),
    eval_count: z.number().int().nonnegative().optional(),
  }),
]);

export type OllamaChatLine = z.infer<typeof OllamaChatLineSchema>;

export const OllamaTagsSchema = z.object({ models: z.array(z.object({ name: z.string() }).loose()) });
