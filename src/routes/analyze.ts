import { Hono } from "hono";
import * as z from "zod";
import { scoreText } from "../chat/score";
import { ApiError } from "../lib/errors";
import { lazy } from "../lib/lazy";
import { defineRoute } from "../openapi/contract";
import { register } from "../openapi/register";
import { MetricsSchema } from "../schemas/metrics";
import { ownerOf } from "../security/ownership";
import type { AppEnv } from "../types";
import { recordCallUsage } from "../usage/chat-hooks";

export const ANALYZE_MAX_CHARS = 100_000;

export const AnalyzeRequestSchema = lazy(() =>
  z
    .object({
      text: z
        .string()
        .max(ANALYZE_MAX_CHARS)
        .refine((text) => text.trim().length > 0, { error: "must not be empty or only whitespace" })
        .meta({ examples: ["The quick brown fox jumps over the lazy dog. It was not amused."] }),
    })
    .strict(),
);

export const analyzeContract = defineRoute({
  method: "post",
  path: "/analyze",
  tags: ["analysis"],
  summary: "Score any text for how human it reads",
  auth: "key",
  rateLimit: "analyze",
  spends: "analysis",
  bodyLimit: ANALYZE_MAX_CHARS * 4 + 1024,
  request: { body: AnalyzeRequestSchema },
  responses: { 200: { description: "The metrics object", schema: MetricsSchema } },
  errors: [503],
});

const tooLong = (error: z.ZodError) =>
  error.issues.some((issue) => issue.code === "too_big" && issue.path[0] === "text")
    ? new ApiError(413, "payload_too_large", `text: at most ${ANALYZE_MAX_CHARS} characters`)
    : undefined;

/** `POST /analyze {text}`: the metrics of one text; an identical text is scored once per key (content hash). */
export const analyzeRoutes = register(
  new Hono<AppEnv>(),
  analyzeContract,
  async (c) => {
    const { text } = c.req.valid("json");
    const startedAt = Date.now();
    const metrics = await scoreText(text, c.get("services"), {
      reuse: true,
      owner: ownerOf(c),
      defer: (work) => c.executionCtx.waitUntil(work),
    });
    if (!metrics) throw new ApiError(503, "service_unavailable", "The analyzer could not score this text");
    c.set("facts", { ...c.get("facts"), metricsSource: metrics.source });
    if (metrics.source === "neo") {
      const waitUntil = (work: Promise<unknown>) => c.executionCtx.waitUntil(work);
      recordCallUsage(c.get("services"), waitUntil, {
        served: { provider: "neo", model: "analyze" },
        id: c.get("requestId"),
        owner: ownerOf(c),
        promptChars: text.length,
        humanLikenessScore: metrics.human_likeness_score,
        startedAt,
      });
    }
    return c.json(metrics, 200);
  },
  { onInvalid: tooLong },
);
