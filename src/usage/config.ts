import * as z from "zod";
import { integer } from "../lib/env-fields";
import { KeyBudgetsSchema } from "./budgets";

const ModelPriceSchema = z
  .object({
    inputPerMTok: z.number().nonnegative(),
    outputPerMTok: z.number().nonnegative(),
    cachedInputPerMTok: z.number().nonnegative().optional(),
  })
  .strict();

/** A JSON variable validated by `schema`; unset or blank is `{}`. */
const json = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value, ctx) => {
    if (value === undefined || (typeof value === "string" && value.trim() === "")) return {};
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "is not valid JSON" });
      return z.NEVER;
    }
  }, schema);

/** The usage, price and budget variables (part of the shared environment schema). */
export const UsageEnvSchema = z.object({
  /** `{"alice": {"usdPerDay": 5, "tokensPerMonth": 100000}}` */
  KEY_BUDGETS: json(KeyBudgetsSchema()),
  /** `{"ollama/*": {"inputPerMTok": 0, "outputPerMTok": 0}, "groq/openai/gpt-oss-20b": {…}}` */
  MODEL_PRICES: json(z.record(z.string().regex(/^[^/]+\/.+$/, "keys are provider/model"), ModelPriceSchema)),
  USAGE_TTL_DAYS: integer(90, 1, 400),
});

export type UsageConfig = ReturnType<typeof usageConfig>;

export function usageConfig(vars: z.output<typeof UsageEnvSchema>) {
  return { budgets: vars.KEY_BUDGETS, prices: vars.MODEL_PRICES, ttlSeconds: vars.USAGE_TTL_DAYS * 86_400 };
}
