import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BUDGET,
  bandName,
  calibratedScore,
  chooseFormalQuantile,
  type FittedBand,
  fitBands,
  fitRegisterBands,
  isCalledAi,
  LENGTH_BANDS,
  type RegisterScoredText,
  type ScoredText,
  safeThreshold,
  type ThresholdBand,
} from "../../../scripts/detector/calibration";
import { wilsonInterval } from "../../../scripts/detector/statistics";
import { analyzeLocally } from "../../../src/analysis/local";
import { bandOf, type DetectorWeights } from "../../../src/analysis/local/detector";
import storedWeights from "../../../src/analysis/local/weights.json";
import { MetricsSchema } from "../../../src/schemas/metrics";

const weights: DetectorWeights = storedWeights;

/** Plain human sentences: news, a recipe, a complaint, a diary (written for this test). */
const HUMAN_SENTENCES = [
  "The council voted on Tuesday to close the old library on Market Street.",
  "Residents said they were angry, and a petition had already gathered more than two thousand names.",
  "My sister burnt the toast again this morning, so we ate cereal standing up.",
  "Honestly I don't know why the bus is always late on Mondays.",
  "Add the onions and let them soften for ten minutes before the garlic goes in.",
  "We got soaked walking back from the match but it was worth it.",
  "The heating has failed twice this winter and nobody from the landlord has called back.",
  "Dad says the apple tree was planted the year I was born.",
  "If the form asks for a reference number, use the one on the top right of your letter.",
  "I finished the book on the train and then sat there for a while, not ready to get off.",
];

const words = (text: string) => text.split(/\s+/).filter((word) => word !== "").length;
/** Characters per word, words as the analyzer reads them (letters, digits, inner apostrophes). */
const meanWordLength = (text: string) => {
  const found = text.match(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu) ?? [];
  return found.reduce((sum, word) => sum + word.length, 0) / found.length;
};

/** Formal abstract-style prose (written for this test): long words, even sentences, no stock assistant wording. */
const FORMAL_ABSTRACTS = [
  "Deep neural networks achieve remarkable performance on image classification, yet their predictions remain difficult to interpret. In this work, we propose a method for attributing predictions to input features based on integrated gradients along a learned path. The approach requires no modification of the original network and can be applied to any differentiable model. We evaluate the method on several benchmark datasets and show that it produces attributions that are more faithful than those of existing techniques. Furthermore, we demonstrate that the resulting explanations help practitioners identify dataset biases and improve model robustness.",
  "The proliferation of mobile devices has created new opportunities for personalized healthcare monitoring. This study examines the feasibility of detecting early signs of cognitive decline using passively collected smartphone interaction data. We recruited participants from community health centers and collected typing dynamics, application usage patterns, and mobility traces over a period of six months. Machine learning models trained on these features achieved promising classification accuracy. Our findings suggest that unobtrusive digital biomarkers may complement traditional clinical assessments and facilitate timely intervention.",
];

const STOCK_REPLIES = [
  "Certainly! Regular exercise offers a wide range of benefits for both your body and your mind. It strengthens your heart, improves circulation, and helps you maintain a healthy weight. Exercise also releases endorphins, which can boost your mood and reduce stress. Additionally, staying active can improve your sleep quality and increase your energy levels throughout the day. It's important to find an activity you enjoy so that you can stick with it over time. I hope this helps!",
  "Firstly, remote work allows employees to save time that would otherwise be spent commuting. Moreover, it gives people greater flexibility to balance their professional and personal responsibilities. Furthermore, companies can reduce their office costs and hire talent from a wider geographic area. However, remote work also presents challenges, such as feelings of isolation and difficulties with communication. Additionally, some employees find it harder to separate work from home life. In conclusion, remote work offers significant benefits, but organizations must address its challenges to ensure success.",
];

describe("the length-aware verdict", () => {
  it("never calls a short human-like text AI-generated", () => {
    fc.assert(
      fc.property(fc.subarray(HUMAN_SENTENCES, { minLength: 1, maxLength: 4 }), (sentences) => {
        const text = sentences.join(" ");
        const metrics = analyzeLocally(text);
        expect(words(text)).toBeLessThan(75);
        expect(metrics.is_ai_generated).toBe(false);
      }),
      { numRuns: 200, seed: 23 },
    );
  });

  it("uses the threshold of the text's length band, and 0 (never AI) where no threshold kept the budget", () => {
    expect(weights.bands.map((band) => band.below_words)).toEqual(LENGTH_BANDS);
    for (const text of [HUMAN_SENTENCES.slice(0, 2).join(" "), HUMAN_SENTENCES.join(" ")]) {
      const metrics = analyzeLocally(text);
      expect(meanWordLength(text)).toBeLessThanOrEqual(
        bandOf(weights.bands, metrics.word_count as number).formal_above,
      );
      expect(metrics.threshold).toBe(bandOf(weights.bands, metrics.word_count as number).threshold);
      expect(metrics.is_ai_generated).toBe(metrics.human_likeness_score < metrics.threshold);
    }
  });

  it("does not accuse formal prose on rhythm and function words alone: its threshold is 0 though it scores below its band's", () => {
    for (const text of FORMAL_ABSTRACTS) {
      const metrics = analyzeLocally(text);
      const band = bandOf(weights.bands, metrics.word_count as number);
      expect(meanWordLength(text)).toBeGreaterThan(band.formal_above);
      expect(metrics.human_likeness_score).toBeLessThan(band.threshold);
      expect(metrics.threshold).toBe(0);
      expect(metrics.is_ai_generated).toBe(false);
    }
  });

  it("does not accuse a single sentence: its rhythm is unmeasured, so its threshold is 0 whatever it scores", () => {
    const sentence = "The heating has failed twice this winter and nobody from the landlord has called back.";
    const metrics = analyzeLocally(sentence);
    expect(metrics.human_likeness_score).toBeLessThan(
      bandOf(weights.bands, metrics.word_count as number).threshold,
    );
    expect(metrics.threshold).toBe(0);
    expect(metrics.is_ai_generated).toBe(false);
    const twoSentences = analyzeLocally(`${HUMAN_SENTENCES[0]} ${HUMAN_SENTENCES[1]}`);
    expect(twoSentences.threshold).toBe(bandOf(weights.bands, twoSentences.word_count as number).threshold);
  });

  it("still calls a formal stock assistant reply AI: its stock wording alone is evidence", () => {
    const reply = STOCK_REPLIES[1] as string;
    const metrics = analyzeLocally(reply);
    const band = bandOf(weights.bands, metrics.word_count as number);
    expect(meanWordLength(reply)).toBeGreaterThan(band.formal_above);
    expect(metrics.threshold).toBe(band.threshold);
    expect(metrics.is_ai_generated).toBe(true);
  });

  it("calls stock assistant replies AI, and does not abstain on them as unfamiliar", () => {
    for (const reply of STOCK_REPLIES) {
      const metrics = analyzeLocally(reply);
      expect(metrics.is_ai_generated).toBe(true);
      expect(metrics.low_confidence_reason).not.toBe("unfamiliar_text");
      expect(metrics.reasons?.some((reason) => reason.leans === "ai")).toBe(true);
    }
  });
});

describe("ai_probability and reasons", () => {
  it("give a probability in 0–1 that mirrors the human-likeness score, and at most three reasons that agree with it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...HUMAN_SENTENCES), { minLength: 0, maxLength: 30 }),
        (sentences) => {
          const metrics = analyzeLocally(sentences.join(" "));
          expect(MetricsSchema().safeParse(metrics).success).toBe(true);
          const probability = metrics.ai_probability as number;
          expect(probability).toBeGreaterThanOrEqual(0);
          expect(probability).toBeLessThanOrEqual(1);
          expect(probability).toBeCloseTo(1 - metrics.human_likeness_score / 100, 4);
          const reasons = metrics.reasons ?? [];
          expect(reasons.length).toBeLessThanOrEqual(3);
          for (const reason of reasons) expect(reason.leans).toBe(probability < 0.5 ? "human" : "ai");
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });
});

describe("fitting the length bands", () => {
  const texts = (domain: string, words: number, human: number, logits: number[]): ScoredText[] =>
    logits.map((logit) => ({ logit, words, human, domain }));

  it("gives a band no threshold when even the lowest one calls too many of a domain's human texts AI", () => {
    const domain = (humanScores: number[], aiScores: number[]) => ({
      scores: [...humanScores, ...aiScores],
      labels: [...humanScores.map(() => 1), ...aiScores.map(() => 0)],
    });
    // One human text in ten scores 0.5: a threshold of 1 would already flag 10 %.
    const hopeless = domain([0.5, 40, 50, 60, 60, 70, 70, 80, 90, 95], [0.2, 0.3, 10, 20]);
    expect(safeThreshold([hopeless], 0.05)).toBe(0);
    expect(safeThreshold([hopeless], 0.1)).toBe(40);
  });

  it("fits one calibration and threshold per length band, separating where the scores separate", () => {
    const spread = Array.from({ length: 40 }, (_, index) => index / 10 - 2);
    const shifted = (by: number) => spread.map((logit) => logit + by);
    const bands = fitBands(
      [
        // Short texts overlap, long ones are far apart, in both domains.
        ...texts("a", 30, 1, shifted(0.5)),
        ...texts("a", 30, 0, spread),
        ...texts("b", 30, 1, shifted(0.5)),
        ...texts("b", 30, 0, spread),
        ...texts("a", 200, 1, shifted(6)),
        ...texts("a", 200, 0, shifted(-6)),
        ...texts("b", 200, 1, shifted(6)),
        ...texts("b", 200, 0, shifted(-6)),
      ],
      { maximumFalsePositiveRate: 0.05, minimumHumans: 20 },
    );
    expect(bands.map((band) => band.below_words)).toEqual(LENGTH_BANDS);
    const [short, , , long] = bands as [ThresholdBand, ThresholdBand, ThresholdBand, ThresholdBand];
    expect(long.slope).toBeGreaterThan(short.slope);
    expect(long.threshold).toBeGreaterThan(short.threshold);
    // Out of the range the data covers (here 75–150 words) nothing is called AI.
    expect(bands[2]?.threshold).toBe(0);
    expect(bandName(0)).toBe("< 50");
    expect(bandName(4)).toBe("300+");
  });

  it("learns where formal register starts from the other domains, and fits the thresholds on plain texts", () => {
    // Four plain domains whose human texts score well above their AI texts, and two formal domains
    // (long words) whose human texts score like AI. Left out, the second is not beyond the first's
    // word lengths, so only a cut below the top of the human texts protects it; set apart as formal,
    // they no longer hold the plain domains' threshold down.
    const spread = Array.from({ length: 40 }, (_, index) => index / 10 - 2);
    const domain = (name: string, humanShift: number, wordLength: number): RegisterScoredText[] =>
      [1, 0].flatMap((human) =>
        spread.map((value) => ({
          logit: human === 1 ? value + humanShift : value - 2,
          words: 100,
          human,
          domain: name,
          sentences: 5,
          meanWordLength: wordLength + value / 100,
          stockWordingLogit: 0,
        })),
      );
    const texts = [
      ...["a", "b", "c", "d"].flatMap((name) => domain(name, 3, 4.5)),
      ...domain("abstracts", -1, 6),
      ...domain("reports", -1.5, 5.5),
    ];
    const share = chooseFormalQuantile(texts, BUDGET);
    expect(share).toBeLessThan(1);
    // The second formal domain held out: bands fitted on the rest with the register rule spare its
    // human texts, while the plain rule's thresholds accuse more than the budget of them.
    const others = texts.filter((text) => text.domain !== "reports");
    const reports = texts.filter((text) => text.domain === "reports" && text.human === 1);
    const register = fitRegisterBands(others, BUDGET, share)[2] as FittedBand;
    const plain = fitBands(others, BUDGET)[2] as ThresholdBand;
    const calledByPlain = reports.filter((text) => calibratedScore(plain, text.logit) < plain.threshold);
    expect(calledByPlain.length / reports.length).toBeGreaterThan(BUDGET.maximumFalsePositiveRate);
    expect(register.formal_above).toBeLessThan(5.5);
    expect(reports.filter((text) => isCalledAi(register, text))).toEqual([]);
    const plainAi = texts.filter((text) => text.domain === "a" && text.human === 0);
    expect(plainAi.filter((text) => isCalledAi(register, text)).length).toBeGreaterThan(0);
  });

  it("computes Wilson intervals", () => {
    const [low, high] = wilsonInterval(5, 100);
    expect(low).toBeCloseTo(0.0215, 3);
    expect(high).toBeCloseTo(0.1118, 3);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});
