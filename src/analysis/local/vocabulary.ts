import { type UndoLog, withRoom } from "./undo-log";
import type { IndexedWords } from "./word-index";

const MATTR_WINDOW = 50;
const MTLD_THRESHOLD = 0.72;
const KEY_TERMS = 5;

/** MTLD's backward pass over `ids` (see `VocabularyTally.mtld`); `seenIn` is zeroed scratch, one slot per word id. */
function mtldBackward(ids: readonly number[], threshold: number, seenIn: Int32Array): number {
  let factors = 0;
  let distinct = 0;
  let length = 0;
  for (let step = 0; step < ids.length; step += 1) {
    const id = ids[ids.length - 1 - step] as number;
    if (seenIn[id] !== factors + 1) {
      seenIn[id] = factors + 1;
      distinct += 1;
    }
    length += 1;
    if (distinct / length <= threshold) {
      factors += 1;
      distinct = 0;
      length = 0;
    }
  }
  return mtldFactors(ids.length, factors, distinct, length, threshold);
}

function mtldFactors(words: number, factors: number, distinct: number, length: number, threshold: number) {
  const total = length > 0 ? factors + (1 - distinct / length) / (1 - threshold) : factors;
  return total === 0 ? words : words / total;
}

/** Word pairs met so far, as pairs of word ids in an open-addressing table. */
class PairSet {
  #first = new Int32Array(1024).fill(-1);
  #second = new Int32Array(1024);
  #size = 0;

  /** Adds the pair; false when it was there already. */
  add(first: number, second: number): boolean {
    const mask = this.#first.length - 1;
    let slot = (Math.imul(first, 0x9e3779b1) ^ Math.imul(second, 0x85ebca6b)) & mask;
    for (; this.#first[slot] !== -1; slot = (slot + 1) & mask)
      if (this.#first[slot] === first && this.#second[slot] === second) return false;
    this.#first[slot] = first;
    this.#second[slot] = second;
    this.#size += 1;
    if (2 * this.#size > this.#first.length) this.#grow();
    return true;
  }

  clear(): void {
    this.#first.fill(-1);
    this.#size = 0;
  }

  has(first: number, second: number): boolean {
    const mask = this.#first.length - 1;
    let slot = (Math.imul(first, 0x9e3779b1) ^ Math.imul(second, 0x85ebca6b)) & mask;
    for (; this.#first[slot] !== -1; slot = (slot + 1) & mask)
      if (this.#first[slot] === first && this.#second[slot] === second) return true;
    return false;
  }

  #grow(): void {
    const first = this.#first;
    const second = this.#second;
    this.#first = new Int32Array(2 * first.length).fill(-1);
    this.#second = new Int32Array(2 * first.length);
    this.#size = 0;
    for (let slot = 0; slot < first.length; slot += 1)
      if (first[slot] !== -1) this.add(first[slot] as number, second[slot] as number);
  }
}

/**
 * Running measures of vocabulary renewal and repetition, fed each word id in reading order:
 * moving-average type–token ratio, the forward half of MTLD, repeated bigrams, and the counts of
 * content words for key-term significance. Writes to arrays go through `log`, so a provisional end
 * can be undone.
 */
export class VocabularyTally {
  state = VocabularyTally.#start();

  static #start(
    windowCounts = new Int32Array(256),
    mtldSeenIn = new Int32Array(256),
    termCounts = new Int32Array(256),
    formsByCount = new Int32Array(64),
  ) {
    return {
      words: 0,
      windowCounts,
      windowDistinct: 0,
      windowSum: 0,
      mtldSeenIn,
      mtldFactors: 0,
      mtldDistinct: 0,
      mtldLength: 0,
      previousId: -1,
      repeatedBigrams: 0,
      /** Occurrences of each content form, and how many forms occur each number of times. */
      termCounts,
      formsByCount,
      mostOccurrences: 0,
      contentOccurrences: 0,
    };
  }

  /** Back to an empty text, keeping the arrays. */
  clear(): void {
    const { windowCounts, mtldSeenIn, termCounts, formsByCount } = this.state;
    for (const array of [windowCounts, mtldSeenIn, termCounts, formsByCount]) array.fill(0);
    this.state = VocabularyTally.#start(windowCounts, mtldSeenIn, termCounts, formsByCount);
    this.#bigrams.clear();
  }
  readonly #bigrams = new PairSet();
  /** Scratch space for MTLD's backward pass. */
  #backwardSeenIn = new Int32Array(0);
  /** Bigrams of a provisional end, kept apart from `#bigrams` until `restore`. */
  readonly #provisionalBigrams = new Set<string>();
  readonly #log: UndoLog;

  constructor(log: UndoLog) {
    this.#log = log;
  }

  /** Makes room for `distinctWords` word ids and `distinctForms` content form ids. */
  reserve(distinctWords: number, distinctForms: number): void {
    const state = this.state;
    state.windowCounts = withRoom(state.windowCounts, distinctWords);
    state.mtldSeenIn = withRoom(state.mtldSeenIn, distinctWords);
    state.termCounts = withRoom(state.termCounts, distinctForms);
  }

  /** Counts word `id`, the next of `ids`; `contentId` numbers its content form (−1 for none). */
  word(ids: readonly number[], id: number, contentId: number): void {
    const log = this.#log;
    const state = this.state;
    const index = state.words;
    state.words += 1;
    const counts = state.windowCounts;
    const count = counts[id] as number;
    if (count === 0) state.windowDistinct += 1;
    log.set(counts, id, count + 1);
    if (index >= MATTR_WINDOW) {
      const leaving = ids[index - MATTR_WINDOW] as number;
      const left = (counts[leaving] as number) - 1;
      log.set(counts, leaving, left);
      if (left === 0) state.windowDistinct -= 1;
    }
    if (index >= MATTR_WINDOW - 1) state.windowSum += state.windowDistinct / MATTR_WINDOW;

    if (state.mtldSeenIn[id] !== state.mtldFactors + 1) {
      log.set(state.mtldSeenIn, id, state.mtldFactors + 1);
      state.mtldDistinct += 1;
    }
    state.mtldLength += 1;
    if (state.mtldDistinct / state.mtldLength <= MTLD_THRESHOLD) {
      state.mtldFactors += 1;
      state.mtldDistinct = 0;
      state.mtldLength = 0;
    }

    if (state.previousId >= 0 && !this.#addBigram(state.previousId, id)) state.repeatedBigrams += 1;
    state.previousId = id;

    if (contentId >= 0) this.#countTerm(contentId);
  }

  #addBigram(first: number, second: number): boolean {
    if (!this.#log.recording) return this.#bigrams.add(first, second);
    if (this.#bigrams.has(first, second)) return false;
    const key = `${first} ${second}`;
    if (this.#provisionalBigrams.has(key)) return false;
    this.#provisionalBigrams.add(key);
    return true;
  }

  #countTerm(contentId: number): void {
    const log = this.#log;
    const state = this.state;
    const before = state.termCounts[contentId] as number;
    log.set(state.termCounts, contentId, before + 1);
    state.formsByCount = withRoom(state.formsByCount, before + 2);
    if (before > 0) log.set(state.formsByCount, before, (state.formsByCount[before] as number) - 1);
    log.set(state.formsByCount, before + 1, (state.formsByCount[before + 1] as number) + 1);
    if (before + 1 > state.mostOccurrences) state.mostOccurrences = before + 1;
    state.contentOccurrences += 1;
  }

  save(): VocabularyTally["state"] {
    return { ...this.state };
  }

  /** Goes back to a saved state (array writes are undone by the log), dropping provisional bigrams. */
  restore(saved: VocabularyTally["state"]): void {
    this.state = saved;
    this.#provisionalBigrams.clear();
  }

  /**
   * Moving-average type–token ratio: the mean TTR of every 50-word window, 0–1, higher = more
   * varied. Unlike plain TTR it does not fall as a text grows. Texts shorter than the window get plain TTR.
   */
  movingAverageTypeTokenRatio(distinctWords: number): number {
    const { words, windowSum } = this.state;
    if (words <= MATTR_WINDOW) return words === 0 ? 0 : distinctWords / words;
    return windowSum / (words - MATTR_WINDOW + 1);
  }

  /**
   * Measure of textual lexical diversity (McCarthy & Jarvis 2010): the mean number of words a run
   * needs before its TTR falls to 0.72, averaged over a forward and a backward pass. ≥ 0, higher =
   * more varied; typical English prose scores 60–120. The backward pass reads all `words` again.
   */
  mtld(words: IndexedWords): number {
    const state = this.state;
    if (state.words === 0) return 0;
    const forward = mtldFactors(
      state.words,
      state.mtldFactors,
      state.mtldDistinct,
      state.mtldLength,
      MTLD_THRESHOLD,
    );
    const distinct = words.words.length;
    if (this.#backwardSeenIn.length < distinct) this.#backwardSeenIn = new Int32Array(2 * distinct);
    const seenIn = this.#backwardSeenIn.fill(0, 0, distinct);
    return (forward + mtldBackward(words.ids, MTLD_THRESHOLD, seenIn)) / 2;
  }

  /** Share of word bigrams that already occurred earlier in the text, 0–1. */
  repetitionRate(): number {
    const { words, repeatedBigrams } = this.state;
    return words < 2 ? 0 : repeatedBigrams / (words - 1);
  }

  /**
   * Share of content-word occurrences taken by the five most repeated content words, 0–1;
   * higher = the text keeps returning to a few key terms.
   */
  keyTermSignificance(): number {
    const { contentOccurrences, mostOccurrences, formsByCount } = this.state;
    if (contentOccurrences === 0) return 0;
    let taken = 0;
    let topFive = 0;
    for (let count = mostOccurrences; count > 0 && taken < KEY_TERMS; count -= 1) {
      const forms = Math.min(formsByCount[count] as number, KEY_TERMS - taken);
      taken += forms;
      topFive += forms * count;
    }
    return topFive / contentOccurrences;
  }
}

/** Distinct words / words (type–token ratio), 0–1; falls with text length. */
export function typeTokenRatio({ ids, words }: IndexedWords): number {
  return ids.length === 0 ? 0 : words.length / ids.length;
}
