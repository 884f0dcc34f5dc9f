import type { Metrics } from "../../schemas/metrics";
import { separateCode } from "./confidence";
import { analyzeLocally, scoreTokenized } from "./index";
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
 * Scores a growing text without re-reading it: the tokenization (the analyzer's costliest pass) of
 * everything up to the last whitespace is kept and extended; only the unfinished end — the open
 * word, and the sentence ending it may close — is read again, provisionally, for each score. The
 * measurements after tokenization run on the whole token arrays (they are cheap next to it). A text
 * with backticks falls back to `analyzeLocally`, as its code spans change the prose as a whole.
 *
 * @example
 * const analysis = startIncrementalAnalysis();
 * for (const chunk of chunks) analysis.append(chunk);
 * analysis.metrics(); // deep-equal to analyzeLocally(chunks.join(""))
 */
export function startIncrementalAnalysis(): IncrementalAnalysis {
  const tokenizer = new Tokenizer();
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
      }
      const before = tokenizer.mark();
      tokenizer.read(text, read);
      const metrics = scoreTokenized(tokenizer.finish(text.length), separateCode(text).codeShare);
      tokenizer.rollback(before);
      return metrics;
    },
  };
}
