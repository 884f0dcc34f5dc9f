import stopWordList from "stopwords-en/stopwords-en.json";
import { BE_FORMS, CONVERSATIONAL_OPENERS, INFORMAL_WORDS, STOCK_WORDS } from "./data/lexicon";
import { isCommonWord, isVeryCommonWord, surprisal } from "./frequency";
import { countSyllables } from "./readability";
import { opensStockNgram, stockPhrasesStartingWith } from "./signature";
import { isContraction } from "./style";

const STOP_WORDS: ReadonlySet<string> = new Set(stopWordList);
const FIRST_PERSON: ReadonlySet<string> = new Set([
  "i",
  "me",
  "my",
  "mine",
  "myself",
  "i'm",
  "i've",
  "i'd",
  "i'll",
]);
const STARTS_WITH_LETTER = /^\p{L}/u;
const CACHE_LIMIT = 20_000;

/** Everything the measurements need to know about one lowercased word, derived from the word alone. */
export interface WordFacts {
  readonly isNumber: boolean;
  /** Syllables as the readability formulas count them (1 for a number). */
  readonly syllables: number;
  readonly isStopWord: boolean;
  readonly isContraction: boolean;
  readonly isFirstPerson: boolean;
  readonly isVeryCommon: boolean;
  readonly isConversationalOpener: boolean;
  /** A chat filler, first/second-person word or contraction (see `informalMarkerCount`). */
  readonly isInformalMarker: boolean;
  /** Starts with a letter and is outside the 10,000 most frequent English words. */
  readonly isRare: boolean;
  readonly startsWithLetter: boolean;
  readonly surprisal: number;
  readonly isBeForm: boolean;
  readonly isStockWord: boolean;
  /** Stock phrases (see `signatureDensities`) that open with this word. */
  readonly stockPhrases: readonly (readonly string[])[] | undefined;
  readonly opensStockNgram: boolean;
  /** The word as a content word (plural `s` dropped), or undefined for stop words and numbers. */
  readonly contentForm: string | undefined;
}

const factsByWord = new Map<string, WordFacts>();

function startsWithDigit(word: string): boolean {
  const code = word.charCodeAt(0);
  return code >= 48 && code <= 57;
}

function contentForm(word: string, isStopWord: boolean): string | undefined {
  if (isStopWord || startsWithDigit(word)) return undefined;
  return word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
}

function deriveFacts(word: string): WordFacts {
  const isNumber = startsWithDigit(word);
  const isStopWord = STOP_WORDS.has(word);
  const contraction = isContraction(word);
  const startsWithLetter = STARTS_WITH_LETTER.test(word);
  return {
    isNumber,
    syllables: isNumber ? 1 : countSyllables(word),
    isStopWord,
    isContraction: contraction,
    isFirstPerson: FIRST_PERSON.has(word),
    isVeryCommon: isVeryCommonWord(word),
    isConversationalOpener: CONVERSATIONAL_OPENERS.has(word),
    isInformalMarker: contraction || INFORMAL_WORDS.has(word),
    isRare: startsWithLetter && !isCommonWord(word),
    startsWithLetter,
    surprisal: surprisal(word),
    isBeForm: BE_FORMS.has(word),
    isStockWord: STOCK_WORDS.has(word),
    stockPhrases: stockPhrasesStartingWith(word),
    opensStockNgram: opensStockNgram(word),
    contentForm: contentForm(word, isStopWord),
  };
}

/** The facts of a lowercased word, memoized per isolate. */
export function factsOf(word: string): WordFacts {
  let facts = factsByWord.get(word);
  if (facts === undefined) {
    if (factsByWord.size >= CACHE_LIMIT) factsByWord.clear();
    facts = deriveFacts(word);
    factsByWord.set(word, facts);
  }
  return facts;
}

/** A text's words as small integers (0, 1, … in order of first use) and the facts of each distinct word. */
export interface IndexedWords {
  readonly ids: readonly number[];
  readonly facts: readonly WordFacts[];
}

/** Builds an `IndexedWords` one word at a time, looking up each distinct word's facts once. */
export class WordIndexer implements IndexedWords {
  readonly ids: number[] = [];
  readonly facts: WordFacts[] = [];
  readonly #idByWord = new Map<string, number>();
  readonly #words: string[] = [];

  /** Appends a lowercased word and returns its facts. */
  add(word: string): WordFacts {
    let id = this.#idByWord.get(word);
    if (id === undefined) {
      id = this.facts.length;
      this.#idByWord.set(word, id);
      this.#words.push(word);
      this.facts.push(factsOf(word));
    }
    this.ids.push(id);
    return this.facts[id] as WordFacts;
  }

  /** Forgets everything added after the first `wordCount` words, of which `distinctCount` were distinct. */
  truncate(wordCount: number, distinctCount: number): void {
    this.ids.length = wordCount;
    for (const word of this.#words.splice(distinctCount)) this.#idByWord.delete(word);
    this.facts.length = distinctCount;
  }
}

/**
 * Each word's content form as a small integer (0, 1, … in order of first use; −1 for stop words
 * and numbers), and how many distinct content forms the text has.
 */
export function contentWordIds({ ids, facts }: IndexedWords): { ids: Int32Array; distinct: number } {
  const contentIdOfWord = new Int32Array(facts.length);
  const idByForm = new Map<string, number>();
  for (let wordId = 0; wordId < facts.length; wordId += 1) {
    const form = facts[wordId]?.contentForm;
    let contentId = -1;
    if (form !== undefined) {
      contentId = idByForm.get(form) ?? idByForm.size;
      idByForm.set(form, contentId);
    }
    contentIdOfWord[wordId] = contentId;
  }
  const contentIds = new Int32Array(ids.length);
  for (let index = 0; index < ids.length; index += 1)
    contentIds[index] = contentIdOfWord[ids[index] as number] as number;
  return { ids: contentIds, distinct: idByForm.size };
}
