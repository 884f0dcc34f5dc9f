import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { scoreText } from "../chat/score";
import { ApiError } from "../lib/errors";
import { validationHook } from "../middleware/errors";
import { jsonBody } from "../middleware/json-body";
import { MetricsSchema } from "../schemas/metrics";
import type { AppEnv } from "../types";
import { errorResponses, jsonContent } from "./openapi";

export const ANALYZE_MAX_CHARS = 100_000;

export const AnalyzeRequestSchema = z
  .object({
    text: z
      .string()
      .max(ANALYZE_MAX_CHARS)
      .refine((text) => text.trim().length > 0, { error: "must not be empty or only whitespace" })
      .openapi({ example: "The quick brown fox jumps over the lazy dog. It was not amused." }),
  })
  .strict()
  .openapi("AnalyzeRequest");

const analyzeRoute = createRoute({
  method: "post",
  path: "/analyze",
  tags: ["analysis"],
  summary: "Score any text for how human it reads",
  request: { body: { content: jsonContent(AnalyzeRequestSchema), required: true } },
  responses: {
    200: { description: "The metrics object", content: jsonContent(MetricsSchema) },
    ...errorResponses(400, 401, 413, 415, 429, 503),
  },
});

/** `POST /analyze {text}`: the metrics of one text; an identical text is scored once (content hash). */
export function registerAnalyzeRoutes(app: OpenAPIHono<AppEnv>): void {
  app.use("/analyze", jsonBody({ maxBytes: ANALYZE_MAX_CHARS * 4 + 1024 }));
  app.openapi(
    analyzeRoute,
    async (c) => {
      const { text } = c.req.valid("json");
      const metrics = await scoreText(text, c.var.services, { reuse: true });
      if (!metrics) throw new ApiError(503, "service_unavailable", "The analyzer could not score this text");
      c.set("facts", { ...c.var.facts, metricsSource: metrics.source });
      return c.json(metrics, 200);
    },
    (result) => {
      if (!result.success && result.error.issues.some((issue) => issue.code === "too_big" && issue.path[0] === "text")) {
        throw new ApiError(413, "payload_too_large", `text: at most ${ANALYZE_MAX_CHARS} characters`);
      }
      validationHook(result);
    },
  );
}

