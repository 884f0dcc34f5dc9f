import type { UsageReport } from "../schemas/usage";
import type { Usage } from "./index";
import { addTotals, emptyTotals } from "./ledger";

/**
 * `GET /usage`'s answer: the counters of `keys` per day × key ×
 * model of the range and their totals, with each key's budget, its spend this UTC day and month,
 * and what is left.
 */
export async function buildUsageReport(
  usage: Usage,
  query: { from: string; to: string; keys: string[]; now: number },
): Promise<UsageReport> {
  const rows = await usage.ledger.rows(query.from, query.to, query.keys);
  const totals = emptyTotals();
  for (const row of rows) addTotals(totals, row);
  const keys = await Promise.all(
    query.keys.map(async (key) => {
      const [budget, spend] = await Promise.all([
        usage.budgets.budgetOf(key),
        usage.ledger.spend(key, query.now),
      ]);
      const remaining = budget ? usage.budgets.remaining(budget, spend) : {};
      return { key, budget: budget ?? null, spend, remaining };
    }),
  );
  return { from: query.from, to: query.to, totals, rows, keys };
}
