import type { Logger } from "../lib/log";
import type { Metrics } from "../schemas/metrics";
import { analyzeLocally } from "./local";
import { analyzeWithNeo, NeoError } from "./neo";

/** Scores texts for AI authorship. */
export interface Analyzer {
  readonly primary: "neo" | "local";
  analyze(text: string, options?: { signal?: AbortSignal; prompt?: string }): Promise<Metrics>;
}

export interface AnalyzerOptions {
  neo?: { apiKey: string; url: string; timeoutMs: number };
  /** Defaults to `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Events never contain the text or the key. */
  log?: Logger;
}

/**
 * Builds the analyzer: Neo first when configured, the local analyzer on any Neo failure (the
 * result then says `source: "local"` and why in `fallback_reason`); local only otherwise.
 *
 * @example
 * const analyzer = createAnalyzer({ neo: { apiKey, url, timeoutMs: 5000 } });
 * const metrics = await analyzer.analyze(reply);
 */
export function createAnalyzer(options: AnalyzerOptions): Analyzer {
  const { neo, log = () => undefined } = options;
  if (!neo) {
    return { primary: "local", analyze: async (text) => analyzeLocally(text) };
  }
  const neoOptions = { ...neo, ...(options.fetch ? { fetch: options.fetch } : {}) };
  return {
    primary: "neo",
    async analyze(text, request = {}) {
      const started = Date.now();
      try {
        const metrics = await analyzeWithNeo(text, neoOptions, request);
        log({ msg: "analysis", source: "neo", duration_ms: Date.now() - started, characters: text.length });
        return metrics;
      } catch (error) {
        const reason = error instanceof NeoError ? error.reason : "neo_bad_response";
        const status = error instanceof NeoError ? error.status : undefined;
        log(
          {
            msg: "analysis_fallback",
            source: "local",
            fallback_reason: reason,
            status,
            duration_ms: Date.now() - started,
          },
          "warn",
        );
        return { ...analyzeLocally(text), fallback_reason: reason };
      }
    },
  };
}

export { conversationScore, withConversationScore } from "./conversation";
export { analyzeLocally } from "./local";
export { NeoError } from "./neo";
