import * as z from "zod";
import { lazy } from "../lib/lazy";
import type { Spend, UsageLedger } from "./ledger";
import { type Period, periodEnd } from "./periods";
import { roundUsd } from "./prices";
import type { UsageStore } from "./store";

/** A key's caps; any of them, none required. Dollars are US dollars. */
export const KeyBudgetSchema = lazy(() =>
  z
    .object({
      usdPerDay: z.number().positive().optional(),
      usdPerMonth: z.number().positive().optional(),
      tokensPerDay: z.number().int().positive().optional(),
      tokensPerMonth: z.number().int().positive().optional(),
    })
    .strict()
    .meta({ id: "KeyBudget" }),
);

export type KeyBudget = z.infer<ReturnType<typeof KeyBudgetSchema>>;

/** `KEY_BUDGETS`: budgets keyed by API key name. */
export const KeyBudgetsSchema = lazy(() => z.record(z.string().min(1), KeyBudgetSchema()));

/** What one request could cost at most: its prompt estimate plus its whole token allowance. */
export interface WorstCase {
  costUsd: number;
  tokens: number;
}

export type BudgetDecision =
  | { allowed: true }
  | { allowed: false; cap: keyof KeyBudget; period: Period; retryAfterSeconds: number; details: string };

export interface Budgets {
  /** The key's budget: the one set at run time (admin route, in Redis), else `KEY_BUDGETS`'s. */
  budgetOf(key: string): Promise<KeyBudget | undefined>;
  /** Sets (or with null removes) the run-time budget of a key. */
  set(key: string, budget: KeyBudget | null): Promise<void>;
  /**
   * Whether a request may go ahead: refused when a cap is already reached, or when the spend so far
   * plus the request's worst case would pass it.
   */
  check(key: string, worstCase: () => WorstCase, at: number): Promise<BudgetDecision>;
  /** What is left of each cap set, for `GET /usage`. */
  remaining(budget: KeyBudget, spend: Spend): Partial<Record<keyof KeyBudget, number>>;
}

const CAPS: ReadonlyArray<{
  cap: keyof KeyBudget;
  period: Period;
  spent: (spend: Spend) => number;
  unit: string;
}> = [
  { cap: "usdPerDay", period: "day", spent: (s) => s.day.costUsd, unit: "USD" },
  { cap: "usdPerMonth", period: "month", spent: (s) => s.month.costUsd, unit: "USD" },
  { cap: "tokensPerDay", period: "day", spent: (s) => s.day.tokens, unit: "tokens" },
  {
    cap: "tokensPerMonth",
    period: "month",
    spent: (s) => s.month.tokens,
    unit: "tokens",
  },
];

const budgetKey = (key: string) => `budget:${key}`;

/** A budget set at run time reaches every isolate within this long. */
export const BUDGET_REUSE_MS = 10_000;

/**
 * Budgets per API key, from configuration with run-time overrides in the store, checked against the
 * ledger's spend of the current UTC day and month.
 *
 * @example
 * const decision = await budgets.check("alice", () => ({ costUsd: 0.002, tokens: 4200 }), Date.now());
 * if (!decision.allowed) throw new ApiError(429, "budget_exceeded", decision.details);
 */
export function createBudgets(options: {
  configured: Record<string, KeyBudget>;
  store: UsageStore;
  ledger: UsageLedger;
  /** How long a check may reuse a key's run-time budget read from the store (this isolate only). */
  reuseMs?: number;
  now?: () => number;
}): Budgets {
  const { configured, store, ledger, reuseMs = BUDGET_REUSE_MS, now = Date.now } = options;
  const stored = async (key: string) => {
    const text = await store.getText(budgetKey(key));
    if (text === null) return undefined;
    const parsed = KeyBudgetSchema().safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  };
  const budgetOf = async (key: string) => (await stored(key)) ?? configured[key];
  // Every spending request checks its key's budget before the provider call: a key's run-time budget
  // is read from the store at most once per `reuseMs` here, not once per request.
  const recent = new Map<string, { budget: KeyBudget | undefined; until: number }>();
  const budgetForCheck = async (key: string) => {
    const hit = recent.get(key);
    if (hit && hit.until > now()) return hit.budget;
    const budget = await budgetOf(key);
    recent.set(key, { budget, until: now() + reuseMs });
    return budget;
  };
  return {
    budgetOf,
    async set(key, budget) {
      await store.setText(budgetKey(key), budget === null ? null : JSON.stringify(budget));
      recent.delete(key);
    },
    async check(key, worstCase, at) {
      const budget = await budgetForCheck(key);
      if (!budget || Object.keys(budget).length === 0) return { allowed: true };
      const spend = await ledger.spend(key, at);
      const worst = worstCase();
      for (const { cap, period, spent, unit } of CAPS) {
        const limit = budget[cap];
        if (limit === undefined) continue;
        const used = spent(spend);
        const atLimit = used >= limit;
        const most = cap.startsWith("usd") ? worst.costUsd : worst.tokens;
        if (!atLimit && used + most <= limit) continue;
        const retryAfterSeconds = Math.max(1, Math.ceil((periodEnd(period, at) - at) / 1000));
        const details = `Budget ${cap} ${limit} ${unit}: ${used} used${atLimit ? "" : `, this request up to ${most} more`}; resets with the ${period}`;
        return { allowed: false, cap, period, retryAfterSeconds, details };
      }
      return { allowed: true };
    },
    remaining(budget, spend) {
      const left: Partial<Record<keyof KeyBudget, number>> = {};
      for (const { cap, spent } of CAPS) {
        const limit = budget[cap];
        if (limit !== undefined) left[cap] = Math.max(0, roundUsd(limit - spent(spend)));
      }
      return left;
    },
  };
}
