import { describe, expect, it } from "vitest";
import { isPassageFile, passageOf, readBrownFiles } from "../../../scripts/detector/brown";
import { plattScaling, safeThreshold } from "../../../scripts/detector/calibration";
import { domainBalancedWeights } from "../../../scripts/detector/pipeline";
import { detectionAtFalsePositiveRate } from "../../../scripts/detector/statistics";
import { analyzeLocally } from "../../../src/analysis/local";
import { MINIMUM_WORDS } from "../../../src/analysis/local/confidence";

const SENTENCES = [
  "The council voted on Tuesday to close the old library on Market Street.",
  "Residents said they were angry, and a petition had already gathered more than two thousand names.",
  "The building needs a new roof and the heating has failed twice this winter.",
  "Officials want to move the books to the community centre, which is a bus ride away for most people.",
  "A final decision is expected next month, after a public meeting in the town hall.",
  "Some shop owners fear that fewer visitors will come to the street once the doors are shut.",
  "The library first opened in 1904 and was paid for by a local mill owner.",
];
const wordCount = (text: string) => text.split(" ").length;

describe("Brown corpus passages", () => {
  // Reads all 500 corpus files: give a busy machine time.
  it("are plain text of whole sentences, 60–199 words, from half the files of every genre", {
    timeout: 60_000,
  }, () => {
    const files = readBrownFiles();
    expect(files).toHaveLength(500);
    const passageFiles = files.filter(isPassageFile);
    expect(new Set(passageFiles.map((file) => file.genre)).size).toBe(15);
    for (const file of passageFiles) {
      const passage = passageOf(file) as string;
      expect(wordCount(passage)).toBeGreaterThanOrEqual(60);
      expect(wordCount(passage)).toBeLessThanOrEqual(199);
      expect(passage).toMatch(/[.?!]"?$/);
      expect(passage).not.toMatch(/\/(?:at|nn|in|vbd|jj)\b|``|\?\?/);
    }
  });
});

describe("low confidence", () => {
  it(`asks for at least ${MINIMUM_WORDS} words before it gives a verdict`, () => {
    const short = SENTENCES.slice(0, 4).join(" ");
    const long = SENTENCES.join(" ");
    expect(wordCount(short)).toBeLessThan(MINIMUM_WORDS);
    expect(wordCount(long)).toBeGreaterThanOrEqual(MINIMUM_WORDS);
    expect(analyzeLocally(short).low_confidence_reason).toBe("too_short");
    const metrics = analyzeLocally(long);
    expect(metrics.low_confidence).toBe(false);
    expect(metrics).not.toHaveProperty("low_confidence_reason");
  });

  it("flags English text unlike anything the detector was fitted on", () => {
    // One-word sentences between 40-word ones, the same pair five times over.
    const pair =
      "Yes. It was so, and then the man who had walked all the way from the far north of the country to see the old king sat down by the river with his many fine horses and waited for the night to come.";
    const metrics = analyzeLocally(Array.from({ length: 5 }, () => pair).join(" "));
    expect(metrics.low_confidence).toBe(true);
    expect(metrics.low_confidence_reason).toBe("unfamiliar_text");
  });
});

describe("calibration and threshold", () => {
  it("recovers a Platt scaling from labelled log-odds", () => {
    const logits: number[] = [];
    const labels: number[] = [];
    // p(human | x) = sigmoid(2x − 1), as exact frequencies on a grid.
    for (let step = -40; step <= 40; step += 1) {
      const logit = step / 10;
      const humans = Math.round(1000 / (1 + Math.exp(-(2 * logit - 1))));
      for (let copy = 0; copy < 1000; copy += 1) {
        logits.push(logit);
        labels.push(copy < humans ? 1 : 0);
      }
    }
    const { slope, offset } = plattScaling(logits, labels);
    expect(slope).toBeCloseTo(2, 1);
    expect(offset).toBeCloseTo(-1, 1);
  });

  it("picks the highest threshold that keeps every domain's human false positives under the limit", () => {
    const domain = (humanScores: number[], aiScores: number[]) => ({
      scores: [...humanScores, ...aiScores],
      labels: [...humanScores.map(() => 1), ...aiScores.map(() => 0)],
    });
    const easy = domain([60, 70, 80, 90], [10, 20, 30, 40]);
    const hard = domain([25, 70, 80, 90], [10, 20, 30, 40]);
    expect(safeThreshold([easy], 0)).toBe(60);
    expect(safeThreshold([easy, hard], 0)).toBe(25);
    expect(safeThreshold([easy, hard], 0.25)).toBe(70);
    expect(detectionAtFalsePositiveRate(hard.scores, hard.labels, 0)).toBe(0.5);
    expect(detectionAtFalsePositiveRate(hard.scores, hard.labels, 0.25)).toBe(1);
  });

  it("gives every (domain, label) cell the same weight, old generators half, and both labels the same total", () => {
    const cell = (length: number, human: number, domain: string) =>
      Array.from({ length }, () => ({ text: "", human, domain, group: "", task: "continuation" }));
    const examples = [
      ...cell(4, 1, "xsum-news"),
      ...cell(2, 0, "xsum-news"),
      ...cell(2, 1, "squad-wikipedia"),
      ...cell(2, 0, "squad-wikipedia"),
    ];
    const weights = domainBalancedWeights(
      examples,
      examples.map((_, index) => index),
    );
    const total = (pick: (example: (typeof examples)[number]) => boolean) =>
      weights.reduce(
        (sum, weight, index) => sum + (pick(examples[index] as (typeof examples)[number]) ? weight : 0),
        0,
      );
    expect(total((example) => example.human === 1)).toBeCloseTo(
      total((example) => example.human === 0),
      10,
    );
    expect(total((example) => example.human === 1 && example.domain === "xsum-news")).toBeCloseTo(
      total((example) => example.human === 1 && example.domain === "squad-wikipedia"),
      10,
    );
    expect(total((example) => example.human === 0 && example.domain === "squad-wikipedia")).toBeCloseTo(
      total((example) => example.human === 0 && example.domain === "xsum-news") / 2,
      10,
    );
    expect(weights.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(examples.length, 10);
  });
});
