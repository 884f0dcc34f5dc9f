import { fitLogistic } from "./logistic.ts";
import { shareBelow } from "./statistics.ts";

/** Platt scaling: p(human) = sigmoid(slope · logit + offset). */
export interface Calibration {
  slope: number;
  offset: number;
}

/**
 * Fits Platt scaling of out-of-fold log-odds to the labels (1 = human); `weights` say how much each
 * text counts (default 1 each).
 */
export function plattScaling(
  logits: readonly number[],
  labels: readonly number[],
  weights?: readonly number[],
): Calibration {
  const model = fitLogistic(
    logits.map((logit) => [logit]),
    labels,
    { l2: 0, ...(weights ? { weights } : {}) },
  );
  const slope = (model.coefficients[0] as number) / (model.scales[0] as number);
  return { slope, offset: model.intercept - slope * (model.means[0] as number) };
}

/**
 * The highest integer threshold (score below it = AI) at which no domain's human texts are called
 * AI more often than `maximumFalsePositiveRate`: false accusations are the costly error. 0 when
 * even a threshold of 1 calls too many of some domain's human texts AI (then nothing is called AI).
 */
export function safeThreshold(
  domains: readonly { scores: readonly number[]; labels: readonly number[] }[],
  maximumFalsePositiveRate: number,
): number {
  let threshold = 0;
  for (let candidate = 1; candidate < 100; candidate += 1) {
    const worst = Math.max(...domains.map(({ scores, labels }) => shareBelow(scores, labels, 1, candidate)));
    if (worst <= maximumFalsePositiveRate) threshold = candidate;
  }
  return threshold;
}

/** Upper word bounds (exclusive) of the length bands; `null`: no bound. */
export const LENGTH_BANDS: readonly (number | null)[] = [50, 75, 150, 300, null];
/** A band is fitted on the texts of its own length and, when it has fewer, of all lengths from this one up. */
export const POOLED_FROM_WORDS = 150;

/** Human-readable name of a band: "< 50", "50–75", "300+". */
export function bandName(index: number): string {
  const upper = LENGTH_BANDS[index];
  const lower = index === 0 ? 0 : (LENGTH_BANDS[index - 1] as number);
  if (index === 0) return `< ${upper}`;
  return upper === null ? `${lower}+` : `${lower}–${upper}`;
}

/** The band of a text of `words` words. */
export function bandIndex(words: number): number {
  const index = LENGTH_BANDS.findIndex((upper) => upper === null || words < upper);
  return index;
}

/** An out-of-domain detector log-odds of one text. */
export interface ScoredText {
  logit: number;
  words: number;
  /** 1 = written by a person. */
  human: number;
  domain: string;
}

/** How the fit reads a band: Platt scaling and threshold, as stored in weights.json. */
export interface FittedBand {
  below_words: number | null;
  slope: number;
  offset: number;
  threshold: number;
}

/**
 * Fits each length band's calibration and threshold on out-of-domain scores: Platt scaling with every
 * (domain, label) cell of the band weighing the same, then the highest threshold that keeps every
 * domain with at least `minimumHumans` human texts in the band at or under `maximumFalsePositiveRate`.
 * The last band (300+ words, where the data is thin) is fitted on all texts of `POOLED_FROM_WORDS`
 * words or more.
 */
export function fitBands(
  texts: readonly ScoredText[],
  { maximumFalsePositiveRate, minimumHumans }: { maximumFalsePositiveRate: number; minimumHumans: number },
): FittedBand[] {
  return LENGTH_BANDS.map((upper, index) => {
    const lower = index === 0 ? 0 : (LENGTH_BANDS[index - 1] as number);
    const inBand = texts.filter((text) =>
      upper === null ? text.words >= POOLED_FROM_WORDS : text.words >= lower && text.words < upper,
    );
    if (inBand.length === 0) return { below_words: upper, slope: 0, offset: 0, threshold: 0 };
    const cells = new Map<string, number>();
    for (const text of inBand)
      cells.set(`${text.domain} ${text.human}`, (cells.get(`${text.domain} ${text.human}`) ?? 0) + 1);
    const labelCells = [0, 0];
    for (const key of cells.keys()) {
      const label = Number(key.slice(key.lastIndexOf(" ") + 1));
      labelCells[label] = (labelCells[label] as number) + 1;
    }
    const weights = inBand.map(
      (text) =>
        1 / (cells.get(`${text.domain} ${text.human}`) as number) / (labelCells[text.human] as number),
    );
    const calibration = plattScaling(
      inBand.map((text) => text.logit),
      inBand.map((text) => text.human),
      weights,
    );
    const byDomain = new Map<string, ScoredText[]>();
    for (const text of inBand) byDomain.set(text.domain, [...(byDomain.get(text.domain) ?? []), text]);
    const domains = [...byDomain.values()]
      .filter((domain) => domain.filter((text) => text.human === 1).length >= minimumHumans)
      .map((domain) => ({
        scores: domain.map((text) => calibratedScore(calibration, text.logit)),
        labels: domain.map((text) => text.human),
      }));
    return {
      below_words: upper,
      slope: calibration.slope,
      offset: calibration.offset,
      threshold: domains.length === 0 ? 0 : safeThreshold(domains, maximumFalsePositiveRate),
    };
  });
}

/** Human-likeness 0–100 of a log-odds under a calibration. */
export const calibratedScore = ({ slope, offset }: Calibration, logit: number) =>
  100 / (1 + Math.exp(-(slope * logit + offset)));

/** The false-positive budget: at most 5 % of a domain's human texts called AI, in domains with 20+ human texts. */
export const BUDGET = { maximumFalsePositiveRate: 0.05, minimumHumans: 20 };
