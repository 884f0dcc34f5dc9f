import { describe, expect, it } from "vitest";
import { BUDGET_REUSE_MS, createBudgets } from "../../../src/usage/budgets";
import { createUsageLedger } from "../../../src/usage/ledger";
import { createMemoryUsageStore } from "../../../src/usage/store";

/** The in-memory usage store, counting its reads of run-time budgets. */
function countingStore() {
  const store = createMemoryUsageStore();
  let budgetReads = 0;
  return {
    store: {
      ...store,
      getText: (key: string) => {
        budgetReads++;
        return store.getText(key);
      },
    },
    budgetReads: () => budgetReads,
  };
}

const small = () => ({ costUsd: 0, tokens: 5 });

describe("budget checks", () => {
  it("read a key's run-time budget from the store once per reuse window, not once per request", async () => {
    const { store, budgetReads } = countingStore();
    let clock = 1_000_000;
    const budgets = createBudgets({
      configured: {},
      store,
      ledger: createUsageLedger(store, { ttlSeconds: 60 }),
      now: () => clock,
    });
    for (let request = 0; request < 5; request++) {
      expect(await budgets.check("alice", small, clock)).toEqual({ allowed: true });
    }
    expect(budgetReads()).toBe(1);
    clock += BUDGET_REUSE_MS + 1;
    await budgets.check("alice", small, clock);
    expect(budgetReads()).toBe(2);
  });

  it("apply a budget set through this isolate to the very next check", async () => {
    const { store } = countingStore();
    const budgets = createBudgets({
      configured: {},
      store,
      ledger: createUsageLedger(store, { ttlSeconds: 60 }),
    });
    expect(await budgets.check("alice", small, Date.now())).toEqual({ allowed: true });
    await budgets.set("alice", { tokensPerDay: 1 });
    expect(await budgets.check("alice", small, Date.now())).toMatchObject({
      allowed: false,
      cap: "tokensPerDay",
    });
  });
});
