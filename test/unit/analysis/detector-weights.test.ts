import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeLocally } from "../../../src/analysis/local";
import fixture from "./fixtures/dev-first-50.json";

const DEV_SET = new URL("../../../../shared/data/detect-dev.jsonl", import.meta.url);

describe("committed detector weights", () => {
  it("score the dev set's first 50 texts exactly as npm run fit:detector did", () => {
    expect(existsSync(DEV_SET), "../shared/data/detect-dev.jsonl must sit beside the repository").toBe(true);
    const texts = readFileSync(DEV_SET, "utf8")
      .split("\n")
      .slice(0, fixture.length)
      .map((line) => (JSON.parse(line) as { text: string }).text);
    expect(fixture).toHaveLength(50);
    const scored = texts.map((text) => {
      const { human_likeness_score, threshold, is_ai_generated, ai_probability } = analyzeLocally(text);
      return {
        first_words: text.split(" ").slice(0, 6).join(" "),
        human_likeness_score,
        threshold,
        is_ai_generated,
        ai_probability,
      };
    });
    expect(scored).toEqual(fixture);
  });
});
