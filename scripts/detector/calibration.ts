import { isAccusable, type LengthBand } from "../../src/analysis/local/detector.ts";
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

/** A scored text with what the register rule reads: sentences, mean word length, stock-wording log-odds. */
export interface RegisterScoredText extends ScoredText {
  sentences: number;
  meanWordLength: number;
  stockWordingLogit: number;
}

/** A band's Platt scaling and threshold. */
export type ThresholdBand = Omit<LengthBand, "formal_above">;

/** How the fit reads a band, as stored in weights.json: also where formal register starts. */
export type FittedBand = LengthBand;

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
): ThresholdBand[] {
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

/** The value at `share` (0–1) of the sorted values (the lower one between two); 0 when there are none. */
export function quantileOf(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor(share * (sorted.length - 1))] as number);
}

/**
 * Shares of human texts whose mean word length the formal cut may sit at, loosest first (1: only
 * texts beyond every human training text of the band are formal).
 */
export const FORMAL_QUANTILES = [1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.5] as const;

/**
 * Fits the length bands for the register rule: in each band, texts whose mean word length is above
 * the `share` quantile of the band's human texts are formal; the calibration and threshold are fitted
 * on the other texts (formal ones are called AI only on their stock wording, see `isCalledAi`).
 */
export function fitRegisterBands(
  texts: readonly RegisterScoredText[],
  budget: typeof BUDGET,
  share: number,
): FittedBand[] {
  const cuts = LENGTH_BANDS.map((_, band) =>
    quantileOf(
      texts
        .filter((text) => text.human === 1 && bandIndex(text.words) === band)
        .map((text) => text.meanWordLength),
      share,
    ),
  );
  const plain = texts.filter((text) => text.meanWordLength <= (cuts[bandIndex(text.words)] as number));
  return fitBands(plain, budget).map((band, index) => ({ ...band, formal_above: cuts[index] as number }));
}

/** The verdict `scoreHumanLikeness` gives, on a scored text: is it called AI under `band`? (Unrounded score.) */
export function isCalledAi(band: FittedBand, text: RegisterScoredText): boolean {
  return (
    isAccusable(band, text, () => text.stockWordingLogit) &&
    calibratedScore(band, text.logit) < band.threshold
  );
}

/**
 * The loosest of `FORMAL_QUANTILES` at which, with the bands refitted without each domain in turn,
 * no domain's human texts of any band (domains with `minimumHumans` of them) are called AI more
 * often than the budget: the formal cut is learned across domains, not on the domain it protects.
 */
export function chooseFormalQuantile(texts: readonly RegisterScoredText[], budget: typeof BUDGET): number {
  const domains = [...new Set(texts.map((text) => text.domain))];
  const keepsBudget = (share: number) =>
    domains.every((domain) => {
      const bands = fitRegisterBands(
        texts.filter((text) => text.domain !== domain),
        budget,
        share,
      );
      const humans = texts.filter((text) => text.domain === domain && text.human === 1);
      return LENGTH_BANDS.every((_, band) => {
        const inBand = humans.filter((text) => bandIndex(text.words) === band);
        if (inBand.length < budget.minimumHumans) return true;
        const called = inBand.filter((text) => isCalledAi(bands[band] as FittedBand, text)).length;
        return called / inBand.length <= budget.maximumFalsePositiveRate;
      });
    });
  return FORMAL_QUANTILES.find(keepsBudget) ?? (FORMAL_QUANTILES.at(-1) as number);
}
