import { BROWN_PAIRS, BROWN_WORDS } from "./data/brown-bigrams";

/** Weight of the bigram estimate against the unigram one in the interpolated model. */
const BIGRAM_WEIGHT = 0.5;

interface LanguageModel {
  idByWord: Map<string, number>;
  size: number;
  /** `first · size + second` → ln p(second | first) − ln p(second) under the interpolated model. */
  gainByPair: Map<number, number>;
}

let model: LanguageModel | undefined;

function load(): LanguageModel {
  if (model) return model;
  const words = BROWN_WORDS.split(" ");
  const gainByPair = new Map<number, number>();
  for (const [level, gaps] of BROWN_PAIRS) {
    const gain = Math.log(BIGRAM_WEIGHT * 2 ** (level / 2) + 1 - BIGRAM_WEIGHT);
    let key = 0;
    for (const gap of gaps.split(" ")) {
      key += Number.parseInt(gap, 36);
      gainByPair.set(key, gain);
    }
  }
  model = { idByWord: new Map(words.map((word, id) => [word, id])), size: words.length, gainByPair };
  return model;
}

/** A lowercased word's id in the Brown bigram model, or −1 outside its vocabulary. */
export function languageModelId(word: string): number {
  return load().idByWord.get(word) ?? -1;
}

/** Gain of a pair no stored bigram covers: the bigram part of the interpolation gives nothing. */
const UNSEEN_GAIN = Math.log(1 - BIGRAM_WEIGHT);

/**
 * How much more likely the second word is after the first than on its own, in nats, under a word
 * bigram model of edited human English (Brown corpus), interpolated with its unigram model:
 * ln p(b | a) − ln p(b). Undefined unless both words are in the model's vocabulary.
 */
export function contextGain(first: number, second: number): number | undefined {
  if (first < 0 || second < 0) return undefined;
  const { gainByPair, size } = load();
  return gainByPair.get(first * size + second) ?? UNSEEN_GAIN;
}
