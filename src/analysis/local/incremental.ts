import type { Metrics } from "../../schemas/metrics";
import { analyzeLocally } from "./index";

/** A local analysis of a text that arrives in pieces. */
export interface IncrementalAnalysis {
  append(chunk: string): void;
  /** The local metrics of everything appended so far. */
  metrics(): Metrics;
}

export function startIncrementalAnalysis(): IncrementalAnalysis {
  let text = "";
  return {
    append(chunk) {
      text += chunk;
    },
    metrics: () => analyzeLocally(text),
  };
}
