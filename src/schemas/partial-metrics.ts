import * as z from "zod";
import { lazy } from "../lib/lazy";
import { MetricsSchema } from "./metrics";

/**
 * An SSE `metrics` event on a streamed `/chat` answer: the score of the reply received so far.
 * Each one supersedes the one before; the final score comes with `done`.
 */
export const PartialMetricsEventSchema = lazy(() =>
  z
    .object({
      messageId: z.string().min(1).max(128),
      words: z.number().int().min(0).meta({ description: "How many words of the reply the score rests on" }),
      partial: z.literal(true),
      metrics: MetricsSchema().meta({
        description:
          "Scored by the built-in analyzer; `low_confidence` stays true while the text is too short",
      }),
    })
    .meta({ id: "PartialMetricsEvent" }),
);

export type PartialMetricsEvent = z.infer<ReturnType<typeof PartialMetricsEventSchema>>;
