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

/**
 * Each sentence's length and mean word surprisal, and the distinct words that open sentences; fed
 * each word in reading order and each sentence end. Writes to arrays go through `log`.
 */
export class RhythmTally {
  sentences = 0;
  lengths = new Float64Array(64);
  meanSurprisals = new Float64Array(64);
  surprisalSum = 0;
  surprisalCount = 0;
  hasOpened = new Int32Array(256);
  distinctOpenings = 0;
  readonly #log: UndoLog;

  constructor(log: UndoLog) {
    this.#log = log;
  }

  reserve(distinctWords: number): void {
    this.hasOpened = withRoom(this.hasOpened, distinctWords);
  }

  /** A word (`id`) with its surprisal (NaN for numbers), and whether it opens a sentence. */
  word(id: number, surprisal: number, opensSentence: boolean): void {
    if (opensSentence && this.hasOpened[id] === 0) {
      this.#log.set(this.hasOpened, id, 1);
      this.distinctOpenings += 1;
    }
    if (Number.isNaN(surprisal)) return;
    this.surprisalSum += surprisal;
    this.surprisalCount += 1;
  }

  closeSentence(length: number): void {
    this.lengths = withRoomFloat(this.lengths, this.sentences + 1);
    this.meanSurprisals = withRoomFloat(this.meanSurprisals, this.sentences + 1);
    this.lengths[this.sentences] = length;
    this.meanSurprisals[this.sentences] =
      this.surprisalCount === 0 ? 0 : this.surprisalSum / this.surprisalCount;
    this.sentences += 1;
    this.surprisalSum = 0;
    this.surprisalCount = 0;
  }

  /** Words per sentence. */
  sentenceLengths(): Float64Array {
    return this.lengths.subarray(0, this.sentences);
  }

  /** Sentence-level rhythm of the text so far. */
  result(): SentenceRhythm {
    const { sentences } = this;
    if (sentences === 0)
      return { lengthEntropy: 0, adjacentLengthChange: 0, surprisalSpread: 0, openingDiversity: 0 };
    const lengths = this.sentenceLengths();
    const bins = new Map<number, number>();
    for (const length of lengths) {
      const bin = Math.min(6, Math.floor(Math.log2(length + 1)));
      bins.set(bin, (bins.get(bin) ?? 0) + 1);
    }
    let lengthEntropy = 0;
    for (const count of bins.values()) {
      const share = count / lengths.length;
      lengthEntropy -= share * Math.log(share);
    }
    let change = 0;
    for (let index = 1; index < lengths.length; index += 1)
      change += Math.abs((lengths[index] as number) - (lengths[index - 1] as number));
    const meanLength = meanAndDeviation(lengths).mean;
    return {
      lengthEntropy,
      adjacentLengthChange: lengths.length < 2 ? 0 : change / (lengths.length - 1) / meanLength,
      surprisalSpread: meanAndDeviation(this.meanSurprisals.subarray(0, sentences)).deviation,
      openingDiversity: this.distinctOpenings / sentences,
    };
  }
}
