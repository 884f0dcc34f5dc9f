import type { LowConfidenceReason } from "../../schemas/metrics";

const FENCED_CODE = /```[^`]*(?:`(?!``)[^`]*)*```/g;
const INLINE_CODE = /`[^`\n]+`/g;
/** Characters typical of code (brackets, operators, `#`, `_`, …), all basic Latin: 1 = one of them. */
const CODE_SYMBOLS = new Uint8Array(128);
for (const symbol of "{}[]();=<>/\\_|#$%&*^~") CODE_SYMBOLS[symbol.charCodeAt(0)] = 1;
/**
 * Below this many words the verdict is left to chance too often: out of fold on the dev set, AUROC
 * is 0.54 on a text's first 25 words, 0.75 on 50, 0.81 on 75 and 0.84 on 100 (npm run
 * eval:detector, docs/ANALYZER.md).
 */
export const MINIMUM_WORDS = 75;

/** Prose with code blocks and inline code removed, and the share of characters that were code. */
export function separateCode(text: string): { prose: string; codeShare: number } {
  const prose = text.includes("`") ? text.replace(FENCED_CODE, "\n").replace(INLINE_CODE, " ") : text;
  return { prose, codeShare: codeShareOf(text.length, prose.length, codeSymbolCount(prose)) };
}

/** How many characters of `prose` are typical of code (brackets, operators, `#`, `_`, …). */
export function codeSymbolCount(prose: string): number {
  let symbols = 0;
  for (let index = 0; index < prose.length; index += 1)
    if (isCodeSymbol(prose.charCodeAt(index))) symbols += 1;
  return symbols;
}

/** Whether a character code is one of those `codeSymbolCount` counts. */
export function isCodeSymbol(code: number): boolean {
  return code < 128 && CODE_SYMBOLS[code] === 1;
}

/**
 * The share of a text that is code, 0–1: its characters in code blocks and inline code, or four
 * times the share of code symbols in the rest (`prose`), whichever is larger.
 */
export function codeShareOf(textLength: number, proseLength: number, symbols: number): number {
  const codeCharacters = textLength - proseLength;
  const symbolShare = proseLength === 0 ? 0 : symbols / proseLength;
  const codeShare = textLength === 0 ? 0 : Math.max(codeCharacters / textLength, symbolShare * 4);
  return Math.min(1, codeShare);
}

/** What `lowConfidenceReason` reads of a tokenized text. */
export interface LetterAndWordCounts {
  /** Letters in words, and how many of them are basic Latin a–z. */
  readonly letterCount: number;
  readonly asciiLetterCount: number;
  readonly wordCount: number;
  /** Words among the ~250 most frequent English words. */
  readonly veryCommonWords: number;
}

/**
 * Why a local score of this text deserves little trust, if it does: mostly code, not English (under
 * 80% basic Latin letters, or under 20% very common English words), fewer than `MINIMUM_WORDS`
 * words, or `unfamiliar` (its detector features lie farther from the training texts' than 99% of those).
 */
export function lowConfidenceReason(
  text: LetterAndWordCounts,
  codeShare: number,
  unfamiliar = false,
): LowConfidenceReason | undefined {
  if (codeShare > 0.3) return "code_heavy";
  const nonLatin = text.letterCount >= 20 && text.asciiLetterCount / text.letterCount < 0.8;
  const unlikeEnglish = text.wordCount >= 10 && text.veryCommonWords / text.wordCount < 0.2;
  if (nonLatin || unlikeEnglish) return "not_english";
  if (text.wordCount < MINIMUM_WORDS) return "too_short";
  return unfamiliar ? "unfamiliar_text" : undefined;
}
