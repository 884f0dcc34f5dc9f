import type { Metrics } from "../../schemas/metrics";
import { round } from "./round";
import { type UndoLog, withRoom } from "./undo-log";
import type { IndexedWords } from "./word-index";

type TopicModelingAnalysis = NonNullable<Metrics["topic_modeling_analysis"]>;

const KEY_TERMS = 8;
const MAIN_TOPIC_TERMS = 5;

/** The `KEY_TERMS` heaviest terms offered, heaviest first (ties alphabetical). */
class TopTerms {
  readonly words: string[] = [];
  readonly weights = new Float64Array(KEY_TERMS);
  count = 0;

  #ranksAbove(weight: number, word: string, position: number): boolean {
    const other = this.weights[position] as number;
    return weight > other || (weight === other && word < (this.words[position] as string));
  }

  offer(word: string, weight: number): void {
    if (this.count === KEY_TERMS && !this.#ranksAbove(weight, word, KEY_TERMS - 1)) return;
    let position = Math.min(this.count, KEY_TERMS - 1);
    while (position > 0 && this.#ranksAbove(weight, word, position - 1)) {
      this.words[position] = this.words[position - 1] as string;
      this.weights[position] = this.weights[position - 1] as number;
      position -= 1;
    }
    this.words[position] = word;
    this.weights[position] = weight;
    if (this.count < KEY_TERMS) this.count += 1;
  }
}

/**
 * `weight · ln(weight)` of a term, remembered by the term's mass within one `result` (most terms
 * occur once, so their masses repeat the few surprisal values of the frequency bands): equal masses
 * give equal weights, so a remembered value is the one `Math.log` would give again.
 */
class EntropyTerms {
  readonly #masses = new Float64Array(64);
  readonly #values = new Float64Array(64);
  readonly #bits = new Int32Array(new Float64Array([0]).buffer);
  readonly #scratch = new Float64Array(this.#bits.buffer);

  clear(): void {
    this.#masses.fill(Number.NaN);
  }

  of(mass: number, weight: number): number {
    this.#scratch[0] = mass;
    const slot = (Math.imul((this.#bits[0] as number) ^ (this.#bits[1] as number), 0x9e3779b1) >>> 26) & 63;
    if (this.#masses[slot] === mass) return this.#values[slot] as number;
    const value = weight * Math.log(weight);
    this.#masses[slot] = mass;
    this.#values[slot] = value;
    return value;
  }
}

/**
 * How often each distinct word occurs, fed each word id in reading order (writes through `log`);
 * `result` reads each distinct word once.
 */
export class TopicTally {
  state = { occurrences: new Int32Array(256) };
  /** Scratch space for `result`: each form's mass and first word, and the forms in order of first use. */
  #mass = new Float64Array(0);
  #firstWord = new Int32Array(0);
  #order = new Int32Array(0);
  readonly #entropyTerms = new EntropyTerms();
  readonly #top = new TopTerms();
  readonly #log: UndoLog;

  constructor(log: UndoLog) {
    this.#log = log;
  }

  reserve(distinctWords: number): void {
    this.state.occurrences = withRoom(this.state.occurrences, distinctWords);
  }

  word(id: number): void {
    const { occurrences } = this.state;
    this.#log.set(occurrences, id, (occurrences[id] as number) + 1);
  }

  /** Back to an empty text, keeping the arrays. */
  clear(): void {
    this.state.occurrences.fill(0);
  }

  save(): TopicTally["state"] {
    return { ...this.state };
  }

  /**
   * Key terms by TF-IDF against the shipped English frequency table: a content form's occurrences
   * times the surprisal (−ln p) of its word in SUBTLEX-US, so rare words that recur rank first.
   * Weights are shares of the text's total TF-IDF mass. `main_topic_likelihood` is the share held by
   * the top five terms (topic concentration); `topic_diversity` is the normalized entropy of the mass.
   * `formOfWord[id]` numbers word `id`'s content form (−1 for none) below `forms`, in order of first
   * use; `termWords` lists (by id, ascending) the words that may be key terms: with a content form
   * of two letters or more, starting with a letter.
   */
  result(
    { words, surprisal }: IndexedWords,
    formOfWord: Int32Array,
    forms: number,
    termWords: Int32Array,
    termWordCount: number,
  ): TopicModelingAnalysis {
    const { occurrences } = this.state;
    if (this.#mass.length < forms) {
      this.#mass = new Float64Array(2 * forms);
      this.#firstWord = new Int32Array(2 * forms);
      this.#order = new Int32Array(2 * forms);
    }
    const mass = this.#mass;
    const firstWord = this.#firstWord.fill(-1, 0, forms);
    const order = this.#order;
    let terms = 0;
    let totalMass = 0;
    for (let index = 0; index < termWordCount; index += 1) {
      const id = termWords[index] as number;
      const form = formOfWord[id] as number;
      const wordMass = (occurrences[id] as number) * (surprisal[id] as number);
      if (firstWord[form] === -1) {
        firstWord[form] = id;
        mass[form] = wordMass;
        order[terms] = form;
        terms += 1;
      } else {
        mass[form] = (mass[form] as number) + wordMass;
      }
      totalMass += wordMass;
    }
    const top = this.#top;
    top.count = 0;
    const entropyTerms = this.#entropyTerms;
    entropyTerms.clear();
    let entropy = 0;
    for (let rank = 0; rank < terms; rank += 1) {
      const form = order[rank] as number;
      const formMass = mass[form] as number;
      const weight = totalMass === 0 ? 0 : formMass / totalMass;
      if (weight > 0) entropy -= entropyTerms.of(formMass, weight);
      top.offer(words[firstWord[form] as number] as string, weight);
    }
    let mainTopic = 0;
    for (let rank = 0; rank < Math.min(top.count, MAIN_TOPIC_TERMS); rank += 1)
      mainTopic += top.weights[rank] as number;
    return {
      topic_diversity: round(terms < 2 ? 0 : entropy / Math.log(terms)),
      main_topic_likelihood: round(mainTopic),
      key_terms: top.words
        .slice(0, top.count)
        .map((term, rank) => ({ term, weight: round(top.weights[rank] as number) })),
    };
  }
}
