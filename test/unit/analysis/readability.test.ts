import { describe, expect, it } from "vitest";
import { analyzeLocally } from "../../../src/analysis/local";
import { readabilityFromCounts } from "../../../src/analysis/local/readability";

describe("readability formulas on fixed sentences", () => {
  it("scores two sentences of one-syllable words", () => {
    // 14 words, 2 sentences, 14 syllables, 0 polysyllables, 17 + 24 = 41 characters in words.
    // words/sentence = 7, syllables/word = 1, characters/word = 41/14 = 2.928571
    const readability = analyzeLocally(
      "The cat sat on the mat. The dog ran to the big red ball.",
    ).readability_metrics;
    // 206.835 − 1.015·7 − 84.6·1 = 115.13
    expect(readability?.flesch_reading_ease).toBeCloseTo(115.13, 2);
    // 0.39·7 + 11.8·1 − 15.59 = −1.06
    expect(readability?.flesch_kincaid_grade).toBeCloseTo(-1.06, 2);
    // 0.4·(7 + 100·0/14) = 2.8
    expect(readability?.gunning_fog).toBeCloseTo(2.8, 2);
    // 1.043·√(0·30/2) + 3.1291 = 3.1291
    expect(readability?.smog).toBeCloseTo(3.13, 2);
    // 0.0588·(100·41/14) − 0.296·(100·2/14) − 15.8 = 17.22 − 4.2286 − 15.8 = −2.8086
    expect(readability?.coleman_liau).toBeCloseTo(-2.81, 2);
    // 4.71·(41/14) + 0.5·7 − 21.43 = 13.7936 + 3.5 − 21.43 = −4.1364
    expect(readability?.ari).toBeCloseTo(-4.14, 2);
    expect(readability?.avg_words_per_sentence).toBe(7);
    // Neo's 0–1 flesch_score: clamp(115.13, 0, 100) / 100
    expect(readability?.flesch_score).toBe(1);
  });

  it("scores two sentences full of long words", () => {
    // education(4) is(1) important(3) | beautiful(3) flowers(2) grow(1) everywhere(3)
    // 7 words, 2 sentences, 17 syllables, 4 polysyllables, 50 characters
    const readability = analyzeLocally(
      "Education is important. Beautiful flowers grow everywhere.",
    ).readability_metrics;
    expect(readability?.avg_words_per_sentence).toBe(3.5);
    // 206.835 − 1.015·3.5 − 84.6·(17/7) = 206.835 − 3.5525 − 205.4571 = −2.1746
    expect(readability?.flesch_reading_ease).toBeCloseTo(-2.17, 2);
    // 0.39·3.5 + 11.8·(17/7) − 15.59 = 1.365 + 28.6571 − 15.59 = 14.4321
    expect(readability?.flesch_kincaid_grade).toBeCloseTo(14.43, 2);
    // 0.4·(3.5 + 100·4/7) = 0.4·60.6429 = 24.2571
    expect(readability?.gunning_fog).toBeCloseTo(24.26, 2);
    // 1.043·√(4·30/2) + 3.1291 = 1.043·7.7460 + 3.1291 = 11.2081
    expect(readability?.smog).toBeCloseTo(11.21, 2);
    // 0.0588·(100·50/7) − 0.296·(100·2/7) − 15.8 = 42.0 − 8.4571 − 15.8 = 17.7429
    expect(readability?.coleman_liau).toBeCloseTo(17.74, 2);
    // 4.71·(50/7) + 0.5·3.5 − 21.43 = 33.6429 + 1.75 − 21.43 = 13.9629
    expect(readability?.ari).toBeCloseTo(13.96, 2);
    expect(readability?.flesch_score).toBe(0);
  });

  it("gives zeros, not NaN, for a text without words", () => {
    const scores = readabilityFromCounts({
      words: 0,
      sentences: 0,
      syllables: 0,
      polysyllables: 0,
      characters: 0,
    });
    expect(Object.values(scores)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it("does not end a sentence at an abbreviation, an initial or a decimal point", () => {
    const metrics = analyzeLocally("Mr. Smith met Dr. J. Jones at 3.5 p.m. today. They talked.");
    // "Mr. Smith met Dr. J. Jones at 3.5 p.m. today." is one sentence of 11 words (p, m), then 2.
    expect(metrics.readability_metrics?.avg_words_per_sentence).toBe(6.5);
  });
});
