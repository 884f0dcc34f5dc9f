import type { DetectorReason } from "../../schemas/metrics";
import { featureContributions, type LinearModel } from "./detector";
import type { DetectorFeatureName } from "./features";

/** What a high and a low value of each feature says, in words. */
const DESCRIPTIONS: Record<DetectorFeatureName, { high: string; low: string }> = {
  sentence_length_entropy: {
    high: "sentences come in many different lengths",
    low: "sentences come in few different lengths",
  },
  adjacent_length_change: {
    high: "sentence length changes a lot from one sentence to the next",
    low: "consecutive sentences have similar lengths",
  },
  ai_word_density: {
    high: "many words chat models overuse (such as 'additionally', 'crucial')",
    low: "few of the words chat models overuse",
  },
  ai_bigram_density: {
    high: "many word pairs typical of assistant prose ('plays a', 'a wide range')",
    low: "few word pairs typical of assistant prose",
  },
  ai_phrase_density: {
    high: "stock phrases of assistant prose ('it is important to note')",
    low: "no stock phrases of assistant prose",
  },
  assistant_framing: {
    high: "framed like a chat reply ('Firstly', 'In conclusion', 'I hope this helps')",
    low: "not framed like a chat reply",
  },
  function_word_ngram_log_odds: {
    high: "function words and punctuation are used the way people write",
    low: "function words and punctuation are used the way chat models write",
  },
};

/** Contributions (in log-odds of human authorship) below this do not count as a reason. */
const SMALLEST_REASON = 0.05;

/**
 * The (at most three) features that moved a verdict most towards the side it came out on (human
 * when `aiProbability` < 0.5, else AI), strongest first; `slope` is the length band's calibration.
 */
export function reasonsFor(
  model: LinearModel & { features: string[] },
  features: readonly (number | undefined)[],
  slope: number,
  aiProbability: number,
): DetectorReason[] {
  const towardsHuman = aiProbability < 0.5;
  const contributions = featureContributions(model, features).map((value, column) => ({
    column,
    value: value * slope,
  }));
  const chosen = contributions
    .filter(({ value }) => (towardsHuman ? value : -value) >= SMALLEST_REASON)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.column - b.column)
    .slice(0, 3);
  return chosen.map(({ column, value }) => {
    const feature = model.features[column] as DetectorFeatureName;
    const standardized =
      ((features[column] as number) - (model.means[column] as number)) / (model.scales[column] as number);
    const description = DESCRIPTIONS[feature];
    return {
      feature,
      leans: value > 0 ? "human" : "ai",
      text: standardized >= 0 ? description.high : description.low,
    };
  });
}
