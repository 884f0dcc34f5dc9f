import * as z from "zod";
import { lazy } from "../lib/lazy";
import { KeyBudgetSchema } from "../usage/budgets";

const DaySchema = lazy(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date YYYY-MM-DD" }));

export const UsageQuerySchema = lazy(() =>
  z
    .object({
      from: DaySchema().optional().meta({ description: "Default: 29 days before `to`" }),
      to: DaySchema().optional().meta({ description: "Included; default: today" }),
      key: z.string().min(1).max(100).optional().meta({ description: "Admin keys only" }),
    })
    .strict(),
);

const count = lazy(() => z.number().nonnegative());

export const UsageTotalsSchema = lazy(() =>
  z
    .object({
      requests: count(),
      failed: count(),
      cancelled: count(),
      cacheHits: count(),
      promptTokens: count(),
      completionTokens: count(),
      cachedTokens: count(),
      reasoningTokens: count(),
      estimated: count().meta({ description: "Requests with estimated tokens" }),
      costUsd: count(),
      latencyMs: count(),
      scoreHistogram: z.array(count()).meta({
        description: "Answers per human-likeness score tenth: [0–10) … [90–100]",
      }),
    })
    .meta({ id: "UsageTotals" }),
);

const SpendSchema = lazy(() =>
  z.object({ costUsd: z.number().nonnegative(), tokens: z.number().nonnegative() }),
);

export const UsageReportSchema = lazy(() =>
  z
    .object({
      from: z.string(),
      to: z.string(),
      totals: UsageTotalsSchema(),
      rows: z
        .array(UsageTotalsSchema().extend({ day: z.string(), key: z.string(), model: z.string() }))
        .meta({ description: "Per UTC day × key × provider/model" }),
      keys: z.array(
        z.object({
          key: z.string(),
          budget: KeyBudgetSchema().nullable(),
          spend: z.object({ day: SpendSchema(), month: SpendSchema() }),
          remaining: z.record(z.string(), count()),
        }),
      ),
    })
    .meta({ id: "UsageReport" }),
);

export const BudgetParamsSchema = lazy(() => z.object({ key: z.string().min(1).max(100) }));

export const BudgetAnswerSchema = lazy(() =>
  z
    .object({
      key: z.string(),
      budget: KeyBudgetSchema().nullable(),
      source: z.enum(["runtime", "config", "none"]),
    })
    .meta({ id: "BudgetAnswer" }),
);

export type UsageReport = z.infer<ReturnType<typeof UsageReportSchema>>;
