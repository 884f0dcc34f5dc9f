import { describe, expect, it } from "vitest";
import { type AnswerSettings, cacheScope } from "../../../src/memory";

const base: AnswerSettings = {
  providers: ["groq", "ollama"],
  model: "openai/gpt-oss-20b",
  temperature: 0,
  maxTokens: 256,
  metrics: "sync",
};

describe("the semantic cache's scope", () => {
  it("is the same for the same provider chain, model and settings", async () => {
    expect(await cacheScope({ ...base })).toBe(await cacheScope({ ...base, providers: ["groq", "ollama"] }));
    expect(await cacheScope(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("differs by each thing that makes two answers different", async () => {
    const variants: AnswerSettings[] = [
      base,
      { ...base, providers: ["groq"] },
      { ...base, providers: ["ollama", "groq"] },
      { ...base, model: undefined },
      { ...base, model: "openai/gpt-oss-120b" },
      { ...base, temperature: undefined },
      { ...base, temperature: 0.5 },
      { ...base, maxTokens: undefined },
      { ...base, maxTokens: 512 },
      { ...base, metrics: "off" },
      { ...base, metrics: "async" },
    ];
    const scopes = await Promise.all(variants.map((variant) => cacheScope(variant)));
    expect(new Set(scopes).size).toBe(variants.length);
  });

  it("keeps a metrics:off answer (metrics null) from answering a metrics:sync request", async () => {
    expect(await cacheScope({ ...base, metrics: "off" })).not.toBe(await cacheScope(base));
  });
});
