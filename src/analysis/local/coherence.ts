import { type UndoLog, withRoom } from "./undo-log";

/** Mean and standard deviation of a list of numbers (0 and 0 when empty). */
export function meanAndDeviation(values: ArrayLike<number>): { mean: number; deviation: number } {
  if (values.length === 0) return { mean: 0, deviation: 0 };
  let sum = 0;
  for (let index = 0; index < values.length; index += 1) sum += values[index] as number;
  const mean = sum / values.length;
  let squares = 0;
  for (let index = 0; index < values.length; index += 1) squares += ((values[index] as number) - mean) ** 2;
  return { mean, deviation: Math.sqrt(squares / values.length) };
}

/**
 * Burstiness of sentence lengths: standard deviation / mean (coefficient of variation), ≥ 0.
 * 0 = every sentence the same length; human prose usually varies more than model prose.
 */
export function burstiness(sentenceLengths: ArrayLike<number>): number {
  const { mean, deviation } = meanAndDeviation(sentenceLengths);
  return mean === 0 ? 0 : deviation / mean;
}

/**
 * Sentence coherence: mean cosine similarity of the content-word counts of each pair of adjacent
 * sentences, 0–1; higher = consecutive sentences share more vocabulary. Undefined below two
 * sentences. Fed each word's content form id (−1 = not a content word) in reading order and each
 * sentence end; writes to arrays go through `log`, so a provisional end can be undone.
 */
export class CoherenceTally {
  state = CoherenceTally.#start();

  static #start(
    previousCounts = new Int32Array(256),
    currentCounts = new Int32Array(256),
    formOfWord = new Int32Array(256),
  ) {
    return {
      previousCounts,
      currentCounts,
      /** Content form id of every word so far. */
      formOfWord,
      words: 0,
      norm: 0,
      dot: 0,
      previousNorm: 0,
      previousStart: 0,
      previousEnd: 0,
      sentences: 0,
      total: 0,
    };
  }

  /** Back to an empty text, keeping the arrays. */
  clear(): void {
    const { previousCounts, currentCounts, formOfWord } = this.state;
    previousCounts.fill(0);
    currentCounts.fill(0);
    this.state = CoherenceTally.#start(previousCounts, currentCounts, formOfWord);
  }
  readonly #log: UndoLog;

  constructor(log: UndoLog) {
    this.#log = log;
  }

  /** Makes room for `distinctForms` content form ids. */
  reserve(distinctForms: number): void {
    const state = this.state;
    state.previousCounts = withRoom(state.previousCounts, distinctForms);
    state.currentCounts = withRoom(state.currentCounts, distinctForms);
  }

  word(contentId: number): void {
    const state = this.state;
    state.formOfWord = withRoom(state.formOfWord, state.words + 1);
    state.formOfWord[state.words] = contentId;
    state.words += 1;
    if (contentId < 0) return;
    const count = state.currentCounts[contentId] as number;
    state.norm += 2 * count + 1;
    this.#log.set(state.currentCounts, contentId, count + 1);
    state.dot += state.previousCounts[contentId] as number;
  }

  /** Ends the sentence of words `[start, end)`. */
  closeSentence(start: number, end: number): void {
    const state = this.state;
    const { previousNorm, norm } = state;
    if (state.sentences > 0) {
      state.total += previousNorm === 0 || norm === 0 ? 0 : state.dot / Math.sqrt(previousNorm * norm);
      for (let index = state.previousStart; index < state.previousEnd; index += 1) {
        const id = state.formOfWord[index] as number;
        if (id >= 0) this.#log.set(state.previousCounts, id, 0);
      }
    }
    const cleared = state.previousCounts;
    state.previousCounts = state.currentCounts;
    state.currentCounts = cleared;
    state.previousNorm = norm;
    state.norm = 0;
    state.dot = 0;
    state.previousStart = start;
    state.previousEnd = end;
    state.sentences += 1;
  }

  save(): CoherenceTally["state"] {
    return { ...this.state };
  }

  result(): number | undefined {
    const { sentences, total } = this.state;
    return sentences < 2 ? undefined : total / (sentences - 1);
  }
}
