import type { LowConfidenceReason } from "../../schemas/metrics";
import type { TokenizedText } from "./tokenize";

const FENCED_CODE = /```[^`]*(?:`(?!``)[^`]*)*```/g;
const INLINE_CODE = /`[^`\n]+`/g;
const CODE_SYMBOLS = /[{}[\]();=<>/\\_|#$%&*^~]/g;
/**
 * Below this many words the verdict is left to chance too often: out of fold on the dev set, AUROC
 * is 0.54 on a text's first 25 words, 0.75 on 50, 0.81 on 75 and 0.84 on 100 (npm run
 * eval:detector, docs/ANALYZER.md).
 */
export const MINIMUM_WORDS = 75;

/** Prose with code blocks and inline code removed, and the share of characters that were code. */
export function separateCode(text: string): { prose: string; codeShare: number } {
  const prose = text.replace(FENCED_CODE, "\n").replace(INLINE_CODE, " ");
  const codeCharacters = text.length - prose.length;
  const symbols = prose.match(CODE_SYMBOLS)?.length ?? 0;
  const symbolShare = prose.length === 0 ? 0 : symbols / prose.length;
  const codeShare = text.length === 0 ? 0 : Math.max(codeCharacters / text.length, symbolShare * 4);
  return { prose, codeShare: Math.min(1, codeShare) };
}

/**
 * Why a local score of this text deserves little trust, if it does: mostly code, not English (under
 * 80% basic Latin letters, or under 20% very common English words), fewer than `MINIMUM_WORDS`
 * words, or `unfamiliar` (its detector features lie farther from the training texts' than 99% of those).
 */
export function lowConfidenceReason(
  text: TokenizedText,
  codeShare: number,
  unfamiliar = false,
): LowConfidenceReason | undefined {
  if (codeShare > 0.3) return "code_heavy";
  const nonLatin = text.letterCount >= 20 && text.asciiLetterCount / text.letterCount < 0.8;
  let veryCommon = 0;
  for (const id of text.indexed.ids) if (text.indexed.facts[id]?.isVeryCommon) veryCommon += 1;
  const unlikeEnglish = text.words.length >= 10 && veryCommon / text.words.length < 0.2;
  if (nonLatin || unlikeEnglish) return "not_english";
  if (text.words.length < MINIMUM_WORDS) return "too_short";
  return unfamiliar ? "unfamiliar_text" : undefined;
}
