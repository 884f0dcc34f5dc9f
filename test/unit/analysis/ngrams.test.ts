import { describe, expect, it } from "vitest";
import { ngramLogOdds } from "../../../src/analysis/local/ngrams";
import { tokenize } from "../../../src/analysis/local/tokenize";

describe("n-gram evidence", () => {
  it("reduces a text to stop words, punctuation and word shapes", () => {
    expect(tokenize("He said, Mary left 3 days ago.").skeleton).toEqual([
      "he",
      "said",
      ",",
      "C",
      "_",
      "#",
      "_",
      "ago",
      ".",
    ]);
  });

  it("keeps the -ly, -ing and -ed endings of words of five letters or more", () => {
    expect(tokenize("Surprisingly, the painted walls were glowing softly in red.").skeleton).toEqual([
      "Cly",
      ",",
      "the",
      "_ed",
      "_",
      "were",
      "_ing",
      "_ly",
      "in",
      "_",
      ".",
    ]);
  });

  it("adds each table n-gram once and divides by the n-gram occurrences", () => {
    const table = { "the cat": 1.5, cat: -0.5, "sat on the": 2 };
    const words = tokenize("The cat sat on the cat").words;
    // 6 words: 6 unigrams + 5 bigrams + 4 trigrams = 15 occurrences
    expect(ngramLogOdds(words, table)).toBeCloseTo((1.5 - 0.5 + 2) / 15, 10);
    expect(ngramLogOdds([], table)).toBe(0);
    expect(ngramLogOdds(tokenize("A dog ran").words, table)).toBe(0);
  });
});
