import { lazy } from "../../lib/lazy";
import {
  FRAMING_OPENERS,
  FRAMING_PHRASES,
  STOCK_BIGRAMS,
  STOCK_PHRASES,
  STOCK_TRIGRAMS,
} from "./data/lexicon";
import { shareOf } from "./round";

/** Densities of stock assistant wording, each as matches per word (0–1, usually below 0.05). */
export interface SignatureDensities {
  phraseDensity: number;
  bigramDensity: number;
  trigramDensity: number;
  wordDensity: number;
  /** Reply framing (`FRAMING_OPENERS` opening a sentence, `FRAMING_PHRASES`) per sentence. */
  framingRate: number;
}

/** A word and the rest of the n-gram after it (split at the first space). */
function firstAndRest(ngram: string): [string, string] {
  const space = ngram.indexOf(" ");
  return [ngram.slice(0, space), ngram.slice(space + 1)];
}

/** Phrases grouped by their last word, each group in list order. */
function byLastWord(phrases: Iterable<readonly string[]>): Map<string, (readonly string[])[]> {
  const grouped = new Map<string, (readonly string[])[]>();
  for (const phrase of phrases) {
    const last = phrase[phrase.length - 1] as string;
    grouped.set(last, [...(grouped.get(last) ?? []), phrase]);
  }
  return grouped;
}

/** The stock lists indexed for lookup, built on the first word read rather than at start-up. */
const TABLES = lazy(() => {
  const framingByLastWord = byLastWord(FRAMING_PHRASES);
  const phrasesByLastWord = byLastWord(STOCK_PHRASES);
  /** Stock bigrams by first word, then second; stock trigrams by first word, second, then third. */
  const bigramsByFirst = new Map<string, Set<string>>();
  for (const [first, second] of [...STOCK_BIGRAMS].map(firstAndRest)) {
    bigramsByFirst.set(first, (bigramsByFirst.get(first) ?? new Set()).add(second));
  }
  const trigramsByFirst = new Map<string, Map<string, Set<string>>>();
  for (const [first, rest] of [...STOCK_TRIGRAMS].map(firstAndRest)) {
    const [second, third] = firstAndRest(rest);
    const bySecond = trigramsByFirst.get(first) ?? new Map<string, Set<string>>();
    bySecond.set(second, (bySecond.get(second) ?? new Set()).add(third));
    trigramsByFirst.set(first, bySecond);
  }
  const ngramFirstWords: ReadonlySet<string> = new Set(
    [...STOCK_BIGRAMS, ...STOCK_TRIGRAMS].map((ngram) => ngram.slice(0, ngram.indexOf(" "))),
  );
  return { framingByLastWord, phrasesByLastWord, bigramsByFirst, trigramsByFirst, ngramFirstWords };
});

/** Stock phrases that end with `word`, if any. */
export function stockPhrasesEndingWith(word: string): readonly (readonly string[])[] | undefined {
  return TABLES().phrasesByLastWord.get(word);
}

/** Reply framing phrases that end with `word`, if any. */
export function framingPhrasesEndingWith(word: string): readonly (readonly string[])[] | undefined {
  return TABLES().framingByLastWord.get(word);
}

/** Whether some stock bigram or trigram opens with `word`. */
export function opensStockNgram(word: string): boolean {
  return TABLES().ngramFirstWords.has(word);
}

/** Whether `phrase` ends at word `index` of `words` (its last word is taken as matched). */
export function phraseEndsAt(words: readonly string[], index: number, phrase: readonly string[]): boolean {
  const start = index - phrase.length + 1;
  if (start < 0) return false;
  for (let offset = 0; offset < phrase.length - 1; offset += 1) {
    if (words[start + offset] !== phrase[offset]) return false;
  }
  return true;
}

/**
 * Counts stock words, bigrams, trigrams and longer phrases, each match at its last word, fed
 * every word in reading order.
 */
export class SignatureTally {
  state = SignatureTally.#start();

  static #start() {
    return {
      phrases: 0,
      bigrams: 0,
      trigrams: 0,
      stockWords: 0,
      framing: 0,
      previousOpensNgram: false,
      beforePreviousOpensNgram: false,
    };
  }

  clear(): void {
    this.state = SignatureTally.#start();
  }

  /**
   * Counts word `index` of `words`: a stock word or not, opening some stock bigram or trigram or
   * not, and the stock phrases that end with it.
   */
  word(
    words: readonly string[],
    index: number,
    isStockWord: boolean,
    opensNgram: boolean,
    phrasesEnding: readonly (readonly string[])[] | undefined,
    opensSentence = false,
  ): void {
    const state = this.state;
    const tables = TABLES();
    if (isStockWord) state.stockWords += 1;
    const framingEnding = tables.framingByLastWord.get(words[index] as string);
    if (framingEnding !== undefined) {
      for (const phrase of framingEnding) if (phraseEndsAt(words, index, phrase)) state.framing += 1;
    }
    if (opensSentence && FRAMING_OPENERS.has(words[index] as string)) state.framing += 1;
    if (phrasesEnding !== undefined) {
      for (const phrase of phrasesEnding) if (phraseEndsAt(words, index, phrase)) state.phrases += 1;
    }
    const word = words[index] as string;
    if (state.previousOpensNgram && tables.bigramsByFirst.get(words[index - 1] as string)?.has(word))
      state.bigrams += 1;
    if (
      state.beforePreviousOpensNgram &&
      tables.trigramsByFirst
        .get(words[index - 2] as string)
        ?.get(words[index - 1] as string)
        ?.has(word)
    )
      state.trigrams += 1;
    state.beforePreviousOpensNgram = state.previousOpensNgram;
    state.previousOpensNgram = opensNgram;
  }

  save(): SignatureTally["state"] {
    return { ...this.state };
  }

  /** Densities of stock assistant wording in a text of `wordCount` words and `sentenceCount` sentences. */
  result(wordCount: number, sentenceCount: number): SignatureDensities {
    const { phrases, bigrams, trigrams, stockWords, framing } = this.state;
    return {
      framingRate: shareOf(framing, sentenceCount),
      phraseDensity: shareOf(phrases, wordCount),
      bigramDensity: shareOf(bigrams, wordCount),
      trigramDensity: shareOf(trigrams, wordCount),
      wordDensity: shareOf(stockWords, wordCount),
    };
  }
}
