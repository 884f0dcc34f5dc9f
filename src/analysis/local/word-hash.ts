/** FNV-1a over UTF-16 code units: the hash the word tables probe with. */
const PRIME = 0x01000193;
/** The hash of the empty word, to extend one character at a time. */
export const EMPTY_HASH = 0x811c9dc5 | 0;

/** Adds one character code to a running word hash. */
export function extendHash(hash: number, code: number): number {
  return Math.imul(hash ^ code, PRIME);
}

export function hashOfString(word: string): number {
  let hash = EMPTY_HASH;
  for (let index = 0; index < word.length; index += 1) hash = extendHash(hash, word.charCodeAt(index));
  return hash;
}

/** The basic Latin lowercase of a character code (other codes unchanged). */
export function asciiLower(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/** Whether `word` is the basic-Latin lowercase of `text[start, end)`. */
export function matchesSpan(word: string, text: string, start: number, end: number): boolean {
  if (word.length !== end - start) return false;
  for (let index = start; index < end; index += 1)
    if (word.charCodeAt(index - start) !== asciiLower(text.charCodeAt(index))) return false;
  return true;
}

/** Numbers strings 0, 1, … in order of first use, found by their `hashOfString` (given by the caller). */
export class StringNumbering {
  #slots = new Int32Array(256).fill(-1);
  readonly #strings: string[] = [];
  readonly #hashes: number[] = [];

  get size(): number {
    return this.#strings.length;
  }

  #emptySlot(hash: number): number {
    const mask = this.#slots.length - 1;
    let slot = hash & mask;
    while (this.#slots[slot] !== -1) slot = (slot + 1) & mask;
    return slot;
  }

  /** The number of `string`, numbered now if new. */
  numberOf(string: string, hash: number): number {
    const mask = this.#slots.length - 1;
    let slot = hash & mask;
    for (; this.#slots[slot] !== -1; slot = (slot + 1) & mask) {
      const number = this.#slots[slot] as number;
      if (this.#hashes[number] === hash && this.#strings[number] === string) return number;
    }
    const number = this.#strings.length;
    this.#slots[slot] = number;
    this.#strings.push(string);
    this.#hashes.push(hash);
    if (2 * this.#strings.length > this.#slots.length) {
      this.#slots = new Int32Array(2 * this.#slots.length).fill(-1);
      for (let known = 0; known < this.#strings.length; known += 1)
        this.#slots[this.#emptySlot(this.#hashes[known] as number)] = known;
    }
    return number;
  }

  /** Forgets the strings numbered `size` and up (latest first, which keeps linear probing intact). */
  truncate(size: number): void {
    const mask = this.#slots.length - 1;
    for (let number = this.#strings.length - 1; number >= size; number -= 1) {
      let slot = (this.#hashes[number] as number) & mask;
      while (this.#slots[slot] !== number) slot = (slot + 1) & mask;
      this.#slots[slot] = -1;
    }
    this.#strings.length = size;
    this.#hashes.length = size;
  }

  clear(): void {
    this.#slots.fill(-1);
    this.#strings.length = 0;
    this.#hashes.length = 0;
  }
}
