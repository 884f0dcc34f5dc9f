import { sha256Hex } from "../lib/ids";

/** What makes two answers interchangeable: who answers, with which model and settings. */
export interface AnswerSettings {
  /** The provider the request named, or the configured chain it falls back through. */
  providers: readonly string[];
  model: string | undefined;
  temperature: number | undefined;
  maxTokens: number | undefined;
  /** How the answer was scored (`sync`, `async`, `off`): a cached answer carries those metrics. */
  metrics: string;
}

/**
 * The semantic cache's scope for a request: a hash of provider(s), model, settings and metrics mode.
 * An answer is only reused under the same scope (so a `metrics: "sync"` request is never answered with
 * a `metrics: "off"` answer's `metrics: null`).
 *
 * @example
 * await cacheScope({ providers: ["groq"], model: "openai/gpt-oss-20b", temperature: 0, maxTokens: undefined, metrics: "sync" });
 */
export function cacheScope(settings: AnswerSettings): Promise<string> {
  return sha256Hex(
    JSON.stringify([
      settings.providers,
      settings.model ?? null,
      settings.temperature ?? null,
      settings.maxTokens ?? null,
      settings.metrics,
    ]),
  );
}

/** The parts of a chat request that decide whether the semantic cache may answer it. */
export interface CacheableRequest {
  conversationId?: string;
  context?: readonly unknown[];
  temperature?: number;
  /** `auto` (default): only at temperature 0; `on`: at any temperature; `off`: never. */
  cache?: "auto" | "on" | "off";
}

/**
 * Whether a request may be answered from (and stored in) the semantic cache: a stateless question
 * (no conversation, no context), at temperature 0 unless the request opts in with `cache: "on"`.
 */
export function isCacheable(request: CacheableRequest): boolean {
  if (request.cache === "off" || request.conversationId || (request.context?.length ?? 0) > 0) return false;
  return request.cache === "on" || request.temperature === 0;
}
