const FIRST_MARK = 65; // "A": the mark of a word that shares nothing with the one before
const MAX_SHARED = 25; // "Z"

/**
 * Packs a list of words (no capital letters A–Z in them) into one string: each word is a capital
 * letter saying how many leading characters it shares with the word before (A = 0, B = 1, …),
 * then the rest of it. Sorted lists pack small and gzip smaller than an array or object literal.
 *
 * @example
 * frontCode(["able", "about", "above"]); // "AableCoutDve"
 */
export function frontCode(words: readonly string[]): string {
  let previous = "";
  let packed = "";
  for (const word of words) {
    if (/[A-Z]/.test(word) || word === "") throw new Error(`cannot front-code ${JSON.stringify(word)}`);
    let shared = 0;
    while (shared < MAX_SHARED && word[shared] !== undefined && word[shared] === previous[shared]) shared++;
    packed += String.fromCharCode(FIRST_MARK + shared) + word.slice(shared);
    previous = word;
  }
  return packed;
}

/**
 * The words {@link frontCode} packed, in their order. One regular-expression pass and one slice per
 * word: unpacking AFINN-165 costs about what evaluating it as an object literal did.
 */
export function frontDecode(packed: string): string[] {
  let word = "";
  return (packed.match(/[A-Z][^A-Z]*/g) ?? []).map(
    (piece) => (word = word.slice(0, piece.charCodeAt(0) - FIRST_MARK) + piece.slice(1)),
  );
}
