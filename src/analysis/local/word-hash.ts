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
