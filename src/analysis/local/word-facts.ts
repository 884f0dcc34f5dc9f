import stopWordList from "stopwords-en/stopwords-en.json";
import { BE_FORMS, CONVERSATIONAL_OPENERS, INFORMAL_WORDS, STOCK_WORDS } from "./data/lexicon";
import { isCommonWord, isVeryCommonWord, surprisal } from "./frequency";
import { type LexicalEntry, lexicalEntry } from "./part-of-speech";
import { countSyllables } from "./readability";
import { moodOf } from "./sentiment";
import { opensStockNgram, stockPhrasesEndingWith } from "./signature";
import { isContraction, isParticiple } from "./style";
import { hashOfString, matchesSpan } from "./word-hash";

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
/** A power of two over three times `CACHE_LIMIT`, so probes stay short. */
const CACHE_SLOTS = 65_536;

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
  /** A past participle (see `passiveVoiceRatio`). */
  readonly isParticiple: boolean;
  /** `not` or an adverb in -ly, which may stand between a form of "to be" and its participle. */
  readonly mayInterruptPassive: boolean;
  readonly isStockWord: boolean;
  /** Stock phrases (see `signatureDensities`) that end with this word. */
  readonly stockPhrasesEnding: readonly (readonly string[])[] | undefined;
  readonly opensStockNgram: boolean;
  /** The word as a content word (plural `s` dropped), or undefined for stop words and numbers. */
  readonly contentForm: string | undefined;
  /** What the part-of-speech tagger knows of the word. */
  readonly lexical: LexicalEntry;
  /** Whether the word flips the valence of the next words (`not`, `never`, `don't`). */
  readonly negates: boolean;
  /** AFINN-165 valence, −5…+5, 0 for no opinion. */
  readonly valence: number;
}

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
  const mood = moodOf(word);
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
    isParticiple: isParticiple(word),
    mayInterruptPassive: word === "not" || word.endsWith("ly"),
    isStockWord: STOCK_WORDS.has(word),
    stockPhrasesEnding: stockPhrasesEndingWith(word),
    opensStockNgram: opensStockNgram(word),
    contentForm: contentForm(word, isStopWord),
    lexical: lexicalEntry(word),
    negates: mood.negates,
    valence: mood.valence,
  };
}

/**
 * The facts of every word met so far in this isolate (English is Zipfian: most words of a text are
 * already known), found by a hash of the word's characters so a word read from a text needs no
 * string of its own. Cleared when it reaches `CACHE_LIMIT` words.
 */
class FactsCache {
  #slots = new Int32Array(CACHE_SLOTS).fill(-1);
  #words: string[] = [];
  #facts: WordFacts[] = [];

  #insert(word: string, hash: number): number {
    if (this.#words.length >= CACHE_LIMIT) {
      this.#slots.fill(-1);
      this.#words.length = 0;
      this.#facts.length = 0;
    }
    const mask = this.#slots.length - 1;
    let slot = hash & mask;
    while (this.#slots[slot] !== -1) slot = (slot + 1) & mask;
    const entry = this.#words.length;
    this.#slots[slot] = entry;
    this.#words.push(word);
    this.#facts.push(deriveFacts(word));
    return entry;
  }

  /** The entry of the lowercased word `text[start, end)` (ASCII, with `hash` from `hashOfSpan`). */
  entryOfSpan(text: string, start: number, end: number, hash: number): number {
    const mask = this.#slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot] as number;
      if (entry === -1) return this.#insert(text.slice(start, end).toLowerCase(), hash);
      if (matchesSpan(this.#words[entry] as string, text, start, end)) return entry;
    }
  }

  entryOf(word: string, hash = hashOfString(word)): number {
    const mask = this.#slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot] as number;
      if (entry === -1) return this.#insert(word, hash);
      if (this.#words[entry] === word) return entry;
    }
  }

  word(entry: number): string {
    return this.#words[entry] as string;
  }

  facts(entry: number): WordFacts {
    return this.#facts[entry] as WordFacts;
  }
}

const cache = new FactsCache();

/** The facts of a lowercased word, memoized per isolate. */
export function factsOf(word: string): WordFacts {
  return cache.facts(cache.entryOf(word));
}

/** A text's words as small integers (0, 1, … in order of first use) and the facts of each distinct word. */
export interface IndexedWords {
  readonly ids: readonly number[];
  readonly facts: readonly WordFacts[];
  /** Each distinct word, by id. */
  readonly words: readonly string[];
}

/** Builds an `IndexedWords` one word at a time, looking up each distinct word's facts once. */
export class WordIndexer implements IndexedWords {
  readonly ids: number[] = [];
  readonly facts: WordFacts[] = [];
  /** Each distinct word, by id. */
  readonly words: string[] = [];
  /** Whether each distinct word is a stop word, by id (1 or 0), kept beside `facts` for the tokenizer. */
  readonly stopWords: number[] = [];
  readonly #hashes: number[] = [];
  #slots = new Int32Array(256).fill(-1);

  #slotOf(hash: number): number {
    const mask = this.#slots.length - 1;
    let slot = hash & mask;
    while (this.#slots[slot] !== -1) slot = (slot + 1) & mask;
    return slot;
  }

  #append(entry: number, hash: number, slot: number): number {
    const id = this.words.length;
    this.words.push(cache.word(entry));
    const facts = cache.facts(entry);
    this.facts.push(facts);
    this.stopWords.push(facts.isStopWord ? 1 : 0);
    this.#hashes.push(hash);
    this.#slots[slot] = id;
    if (2 * this.words.length > this.#slots.length) {
      this.#slots = new Int32Array(2 * this.#slots.length).fill(-1);
      for (let known = 0; known < this.words.length; known += 1)
        this.#slots[this.#slotOf(this.#hashes[known] as number)] = known;
    }
    this.ids.push(id);
    return id;
  }

  /** Appends the word `text[start, end)` (basic Latin only; `hash` from `hashOfSpan`) and returns its id. */
  addSpan(text: string, start: number, end: number, hash: number): number {
    const mask = this.#slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.#slots[slot] as number;
      if (id === -1) return this.#append(cache.entryOfSpan(text, start, end, hash), hash, slot);
      if (matchesSpan(this.words[id] as string, text, start, end)) {
        this.ids.push(id);
        return id;
      }
    }
  }

  /** Appends a lowercased word and returns its id. */
  add(word: string): number {
    const hash = hashOfString(word);
    const mask = this.#slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.#slots[slot] as number;
      if (id === -1) return this.#append(cache.entryOf(word, hash), hash, slot);
      if (this.words[id] === word) {
        this.ids.push(id);
        return id;
      }
    }
  }

  /** Forgets everything added after the first `wordCount` words, of which `distinctCount` were distinct. */
  truncate(wordCount: number, distinctCount: number): void {
    this.ids.length = wordCount;
    const mask = this.#slots.length - 1;
    // Latest first: with linear probing, removing the newest entry leaves every other probe path intact.
    for (let id = this.words.length - 1; id >= distinctCount; id -= 1) {
      let slot = (this.#hashes[id] as number) & mask;
      while (this.#slots[slot] !== id) slot = (slot + 1) & mask;
      this.#slots[slot] = -1;
    }
    this.words.length = distinctCount;
    this.facts.length = distinctCount;
    this.stopWords.length = distinctCount;
    this.#hashes.length = distinctCount;
  }
}
