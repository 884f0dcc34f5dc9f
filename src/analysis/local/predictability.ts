import { meanAndDeviation } from "./coherence";
import { contextGain } from "./language-model";
import { sentenceMeans } from "./rhythm";
import type { TokenizedText } from "./tokenize";

/**
 * How predictable a text is relative to itself, not how plain or rare its vocabulary is: the level
 * of word surprisal mostly tells the register (news, fiction, encyclopedia), its movement from one
 * sentence to the next tells more about the writer.
 */
export interface Predictability {
  /** Mean ln p(word | previous word) − ln p(word) under the Brown bigram model (see `contextGain`). */
  contextGain: number | undefined;
  /** Standard deviation across sentences of each sentence's mean context gain. */
  contextGainSpread: number | undefined;
  /** Lag-1 autocorrelation of per-sentence mean context gain, −1–1. */
  contextGainAutocorrelation: number | undefined;
  /** Lag-1 autocorrelation of per-sentence mean word surprisal, −1–1. */
  surprisalAutocorrelation: number | undefined;
  /** Standard deviation / mean of per-sentence mean word surprisal. */
  surprisalVariation: number | undefined;
}

/** Lag-1 autocorrelation of a series; undefined below three values or without variation. */
export function autocorrelation(values: Float64Array): number | undefined {
  if (values.length < 3) return undefined;
  const { mean, deviation } = meanAndDeviation(values);
  if (deviation === 0) return undefined;
  let products = 0;
  for (let index = 1; index < values.length; index += 1)
    products += ((values[index] as number) - mean) * ((values[index - 1] as number) - mean);
  return products / (values.length * deviation * deviation);
}

/** See `Predictability`; `surprisalByWord[index]` is word `index`'s unigram surprisal or NaN. */
export function predictability(text: TokenizedText, surprisalByWord: Float64Array): Predictability {
  const { sentences, indexed } = text;
  const gainByWord = new Float64Array(indexed.ids.length).fill(Number.NaN);
  let gainSum = 0;
  let pairs = 0;
  for (const { start, end } of sentences) {
    for (let index = start + 1; index < end; index += 1) {
      const gain = contextGain(
        indexed.facts[indexed.ids[index - 1] as number]?.languageModelId ?? -1,
        indexed.facts[indexed.ids[index] as number]?.languageModelId ?? -1,
      );
      if (gain === undefined) continue;
      gainByWord[index] = gain;
      gainSum += gain;
      pairs += 1;
    }
  }
  const sentenceGains = sentenceMeans(sentences, gainByWord);
  const sentenceSurprisals = sentenceMeans(sentences, surprisalByWord);
  const surprisal = meanAndDeviation(sentenceSurprisals);
  const enoughSentences = sentences.length >= 2;
  return {
    contextGain: pairs === 0 ? undefined : gainSum / pairs,
    contextGainSpread: enoughSentences && pairs > 0 ? meanAndDeviation(sentenceGains).deviation : undefined,
    contextGainAutocorrelation: autocorrelation(sentenceGains),
    surprisalAutocorrelation: autocorrelation(sentenceSurprisals),
    surprisalVariation:
      enoughSentences && surprisal.mean > 0 ? surprisal.deviation / surprisal.mean : undefined,
  };
}
