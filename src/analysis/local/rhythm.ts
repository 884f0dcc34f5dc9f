import { meanAndDeviation } from "./coherence";
import { type UndoLog, withRoom, withRoomFloat } from "./undo-log";

/** How sentences vary from one to the next; model prose tends to keep an even rhythm. */
export interface SentenceRhythm {
  /** Entropy (nats) of sentence lengths binned by powers of two (1, 2–3, 4–7, … 64+ words). */
  lengthEntropy: number;
  /** Mean absolute change of length between adjacent sentences / mean sentence length. */
  adjacentLengthChange: number;
  /** Standard deviation across sentences of each sentence's mean word surprisal. */
  surprisalSpread: number;
  /** Distinct sentence-opening words / sentences. */
  openingDiversity: number;
}

/** Sentence lengths binned by powers of two: 1, 2–3, 4–7, … 64+ words. */
const LENGTH_BINS = 7;

/**
 * Each sentence's length and mean word surprisal, the sentences per length bin, and the distinct
 * words that open sentences; fed each word in reading order and each sentence end. Writes to
 * arrays go through `log`.
 */
export class RhythmTally {
  state = RhythmTally.#start();

  static #start(
    lengths = new Float64Array(64),
    meanSurprisals = new Float64Array(64),
    hasOpened = new Int32Array(256),
  ) {
    return {
      sentences: 0,
      lengths,
      meanSurprisals,
      lengthSum: 0,
      lengthChange: 0,
      /** Bins in order of first use (the entropy sums them in that order). */
      binsUsed: 0,
      surprisalSum: 0,
      surprisalCount: 0,
      hasOpened,
      distinctOpenings: 0,
    };
  }

  /** Back to an empty text, keeping the arrays. */
  clear(): void {
    const { lengths, meanSurprisals, hasOpened } = this.state;
    hasOpened.fill(0);
    this.#binCounts.fill(0);
    this.state = RhythmTally.#start(lengths, meanSurprisals, hasOpened);
  }
  readonly #binCounts = new Int32Array(LENGTH_BINS);
  readonly #binOrder = new Int32Array(LENGTH_BINS);
  readonly #log: UndoLog;

  constructor(log: UndoLog) {
    this.#log = log;
  }

  reserve(distinctWords: number): void {
    this.state.hasOpened = withRoom(this.state.hasOpened, distinctWords);
  }

  /** A word (`id`) with its surprisal (NaN for numbers), and whether it opens a sentence. */
  word(id: number, surprisal: number, opensSentence: boolean): void {
    const state = this.state;
    if (opensSentence && state.hasOpened[id] === 0) {
      this.#log.set(state.hasOpened, id, 1);
      state.distinctOpenings += 1;
    }
    if (Number.isNaN(surprisal)) return;
    state.surprisalSum += surprisal;
    state.surprisalCount += 1;
  }

  closeSentence(length: number): void {
    const state = this.state;
    const { sentences } = state;
    state.lengths = withRoomFloat(state.lengths, sentences + 1);
    state.meanSurprisals = withRoomFloat(state.meanSurprisals, sentences + 1);
    state.lengths[sentences] = length;
    state.meanSurprisals[sentences] =
      state.surprisalCount === 0 ? 0 : state.surprisalSum / state.surprisalCount;
    if (sentences > 0) state.lengthChange += Math.abs(length - (state.lengths[sentences - 1] as number));
    state.lengthSum += length;
    const bin = Math.min(LENGTH_BINS - 1, Math.floor(Math.log2(length + 1)));
    if (this.#binCounts[bin] === 0) {
      this.#binOrder[state.binsUsed] = bin;
      state.binsUsed += 1;
    }
    this.#log.set(this.#binCounts, bin, (this.#binCounts[bin] as number) + 1);
    state.sentences += 1;
    state.surprisalSum = 0;
    state.surprisalCount = 0;
  }

  save(): RhythmTally["state"] {
    return { ...this.state };
  }

  /** Words per sentence. */
  sentenceLengths(): Float64Array {
    return this.state.lengths.subarray(0, this.state.sentences);
  }

  /** Sentence-level rhythm of the text so far. */
  result(): SentenceRhythm {
    const { sentences, lengthChange, lengthSum, binsUsed } = this.state;
    if (sentences === 0)
      return { lengthEntropy: 0, adjacentLengthChange: 0, surprisalSpread: 0, openingDiversity: 0 };
    let lengthEntropy = 0;
    for (let rank = 0; rank < binsUsed; rank += 1) {
      const share = (this.#binCounts[this.#binOrder[rank] as number] as number) / sentences;
      lengthEntropy -= share * Math.log(share);
    }
    const meanLength = lengthSum / sentences;
    return {
      lengthEntropy,
      adjacentLengthChange: sentences < 2 ? 0 : lengthChange / (sentences - 1) / meanLength,
      surprisalSpread: meanAndDeviation(this.state.meanSurprisals.subarray(0, sentences)).deviation,
      openingDiversity: this.state.distinctOpenings / sentences,
    };
  }
}
