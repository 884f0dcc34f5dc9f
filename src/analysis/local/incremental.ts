import type { Metrics } from "../../schemas/metrics";
import { codeShareOf } from "./confidence";
import { analyzeLocally, scoreTally, startTally } from "./index";
import { Tokenizer } from "./tokenize";

/** A local analysis of a text that arrives in pieces. */
export interface IncrementalAnalysis {
  append(chunk: string): void;
  /** The local metrics of everything appended so far: equal to `analyzeLocally` of that text. */
  metrics(): Metrics;
}

const WHITESPACE = /\s/u;

/** The position just after the last whitespace character of `text` at or after `from`; `from` if none. */
function afterLastWhitespace(text: string, from: number): number {
  for (let index = text.length - 1; index >= from; index -= 1) {
    if (WHITESPACE.test(text[index] as string)) return index + 1;
  }
  return from;
}

/**
 * Scores a growing text without re-reading it. Everything up to the last whitespace is tokenized
 * once and added to running sums (a `TextTally`): words, closed sentences, n-grams. Each score
 * then reads only the unfinished end — the open word, and the sentence it may close — provisionally,
 * derives the metrics from the sums, and forgets that end again. A text with backticks falls back
 * to `analyzeLocally`, as its code spans change the prose as a whole.
 *
 * @example
 * const analysis = startIncrementalAnalysis();
 * for (const chunk of chunks) analysis.append(chunk);
 * analysis.metrics(); // deep-equal to analyzeLocally(chunks.join(""))
 */
export function startIncrementalAnalysis(): IncrementalAnalysis {
  const tokenizer = new Tokenizer();
  const tally = startTally();
  let text = "";
  let read = 0;
  let hasCode = false;
  return {
    append(chunk) {
      text += chunk;
      if (chunk.includes("`")) hasCode = true;
    },
    metrics() {
      if (hasCode) return analyzeLocally(text);
      const settled = afterLastWhitespace(text, read);
      if (settled > read) {
        tokenizer.read(text, read, settled);
        read = settled;
        tally.advance(tokenizer.tokens(read), false);
      }
      const before = tokenizer.mark();
      tokenizer.read(text, read);
      const tokenized = tokenizer.finish(text.length);
      tally.record();
      tally.advance(tokenized, true);
      // Without backticks the prose is the whole text, and the tokenizer has counted its code symbols.
      const codeShare = codeShareOf(text.length, text.length, tokenizer.codeSymbols);
      const metrics = scoreTally(tally, tokenized, codeShare);
      tally.undo();
      tokenizer.rollback(before);
      return metrics;
    },
  };
}
