import type { LexicalEntry } from "./part-of-speech";
import { factsCache } from "./word-facts";
import { hashOfString, matchesSpan } from "./word-hash";

/**
 * A text's words as small integers (0, 1, … in order of first use) and, for each distinct word, its
 * facts (see `WordFacts`) as the tallies read them for every word: side by side, numbers mostly.
 */
export interface IndexedWords {
  readonly ids: readonly number[];
  /** Each distinct word, by id. */
  readonly words: readonly string[];
  /** Each distinct word's packed yes/no facts (see `WordBit`), syllables, surprisal and valence. */
  readonly bits: readonly number[];
  readonly syllables: readonly number[];
  readonly surprisal: readonly number[];
  readonly valence: readonly number[];
  /** Each distinct word's part-of-speech entry, content form (see `WordFacts`) and its hash. */
  readonly lexical: readonly LexicalEntry[];
  readonly contentForm: readonly (string | undefined)[];
  readonly formHash: readonly number[];
}

/** Builds an `IndexedWords` one word at a time, looking up each distinct word's facts once. */
export class WordIndexer implements IndexedWords {
  readonly ids: number[] = [];
  readonly words: string[] = [];
  readonly bits: number[] = [];
  readonly syllables: number[] = [];
  readonly surprisal: number[] = [];
  readonly valence: number[] = [];
  readonly lexical: LexicalEntry[] = [];
  readonly contentForm: (string | undefined)[] = [];
  readonly formHash: number[] = [];
  readonly #hashes: number[] = [];
  #slots = new Int32Array(256).fill(-1);
  readonly #cache = factsCache();

  #slotOf(hash: number): number {
    const mask = this.#slots.length - 1;
    let slot = hash & mask;
    while (this.#slots[slot] !== -1) slot = (slot + 1) & mask;
    return slot;
  }

  #append(entry: number, hash: number, slot: number): number {
    const id = this.words.length;
    const cache = this.#cache;
    const { numbers } = cache;
    this.words.push(cache.word(entry));
    this.bits.push(numbers[4 * entry] as number);
    this.syllables.push(numbers[4 * entry + 1] as number);
    this.valence.push(numbers[4 * entry + 2] as number);
    this.formHash.push(numbers[4 * entry + 3] as number);
    this.surprisal.push(cache.surprisal[entry] as number);
    this.lexical.push(cache.lexical[entry] as LexicalEntry);
    this.contentForm.push(cache.contentForm[entry]);
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
      if (id === -1) return this.#append(this.#cache.entryOfSpan(text, start, end, hash), hash, slot);
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
      if (id === -1) return this.#append(this.#cache.entryOf(word, hash), hash, slot);
      if (this.words[id] === word) {
        this.ids.push(id);
        return id;
      }
    }
  }

  /** Forgets everything added after the first `wordCount` words, of which `distinctCount` were distinct. */
  truncate(wordCount: number, distinctCount: number): void {
    this.ids.length = wordCount;
    if (this.words.length === distinctCount) return;
    const mask = this.#slots.length - 1;
    // Latest first: with linear probing, removing the newest entry leaves every other probe path intact.
    for (let id = this.words.length - 1; id >= distinctCount; id -= 1) {
      let slot = (this.#hashes[id] as number) & mask;
      while (this.#slots[slot] !== id) slot = (slot + 1) & mask;
      this.#slots[slot] = -1;
    }
    this.words.length = distinctCount;
    for (const perWord of [
      this.bits,
      this.syllables,
      this.surprisal,
      this.valence,
      this.lexical,
      this.contentForm,
      this.formHash,
      this.#hashes,
    ])
      perWord.length = distinctCount;
  }
}
