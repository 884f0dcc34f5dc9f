import { Hono } from "hono";
import { ApiError } from "../lib/errors";
import { defineRoute } from "../openapi/contract";
import { register } from "../openapi/register";
import {
  BudgetAnswerSchema,
  BudgetParamsSchema,
  UsageQuerySchema,
  UsageReportSchema,
} from "../schemas/usage";
import type { AppEnv } from "../types";
import { type KeyBudget, KeyBudgetSchema } from "../usage/budgets";
import { dayOf } from "../usage/periods";
import { buildUsageReport } from "../usage/report";

export const usageContract = defineRoute({
  method: "get",
  path: "/usage",
  tags: ["usage"],
  summary: "Tokens, cost and scores by day, model and key, with budgets and what is left",
  description: "Own key's usage; an admin key sees every key's (or `key`'s). UTC days, at most 93.",
  auth: "key",
  rateLimit: "read",
  request: { query: UsageQuerySchema },
  responses: { 200: { description: "The usage report", schema: UsageReportSchema } },
});

export const budgetSetContract = defineRoute({
  method: "post",
  path: "/budgets/{key}",
  tags: ["usage"],
  summary: "Sets a key's budget at run time, over KEY_BUDGETS's; `{}` removes it",
  auth: "admin",
  rateLimit: "write",
  request: { params: BudgetParamsSchema, body: KeyBudgetSchema },
  responses: { 200: { description: "The budget now in force", schema: BudgetAnswerSchema } },
  errors: [404],
});

const DAY_MS = 86_400_000;
const MAX_DAYS = 93;

const usage = register(new Hono<AppEnv>(), usageContract, async (c) => {
  const services = c.get("services");
  const query = c.req.valid("query");
  const now = Date.now();
  const to = query.to ?? dayOf(now);
  const from = query.from ?? dayOf(Date.parse(to) - 29 * DAY_MS);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (!(days >= 1 && days <= MAX_DAYS))
    throw new ApiError(
      400,
      "invalid_request",
      `from..to must span 1 to ${MAX_DAYS} days, from first to last`,
    );
  const caller = c.get("facts").keyName ?? "anonymous";
  const admin = services.config.auth.adminKeys.some((entry) => entry.name === caller);
  const { auth } = services.config;
  const everyKey = [...auth.keys, ...auth.adminKeys].map((entry) => entry.name);
  const keys = !admin ? [caller] : query.key ? [query.key] : everyKey;
  return c.json(await buildUsageReport(services.usage, { from, to, keys, now }), 200);
});

/** The key names a budget can be about: every configured key, ordinary or admin. */
const knownKey = (c: { get(name: "services"): AppEnv["Variables"]["services"] }, key: string) => {
  const { auth } = c.get("services").config;
  if (![...auth.keys, ...auth.adminKeys].some((entry) => entry.name === key))
    throw new ApiError(404, "not_found", `No API key is named "${key}"`);
};

/** The budget in force once `stored` (the run-time one just set, or null) is in the store. */
const budgetAnswer = (
  c: { get(name: "services"): AppEnv["Variables"]["services"] },
  key: string,
  stored: KeyBudget | null,
) => {
  const configured = c.get("services").config.usage.budgets[key];
  return stored
    ? { key, budget: stored, source: "runtime" as const }
    : configured
      ? { key, budget: configured, source: "config" as const }
      : { key, budget: null, source: "none" as const };
};

/** `GET /usage`, and the admin's `POST /budgets/{key}`. */
export const usageRoutes = register(usage, budgetSetContract, async (c) => {
  const { key } = c.req.valid("param");
  knownKey(c, key);
  const body = c.req.valid("json");
  const budget = Object.keys(body).length > 0 ? body : null;
  await c.get("services").usage.budgets.set(key, budget);
  // What was just written is what the store now holds: answer from it rather than reading it back.
  return c.json(budgetAnswer(c, key, budget), 200);
});
