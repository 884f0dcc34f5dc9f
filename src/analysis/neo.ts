import { sleep } from "../lib/abort";
import { parseRetryAfter } from "../lib/retry-after";
import {
  type FallbackReason,
  type Metrics,
  NEO_CATEGORY_NAMES,
  type NeoAnalyzeResponse,
  NeoAnalyzeResponseSchema,
} from "../schemas/metrics";

/** Where and how to reach Neo. */
export interface NeoClientOptions {
  apiKey: string;
  url: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Longest `retry-after` (seconds) worth waiting for once after a 429. */
  maxRetryAfterSeconds?: number;
}

/** A failed Neo call; `reason` becomes the metrics' `fallback_reason`. Never carries the key or body. */
export class NeoError extends Error {
  constructor(
    readonly reason: FallbackReason,
    readonly status?: number,
  ) {
    super(status === undefined ? `Neo API call failed: ${reason}` : `Neo API answered HTTP ${status}`);
    this.name = "NeoError";
  }
}

function reasonForStatus(status: number): FallbackReason {
  if (status === 401) return "neo_http_401";
  if (status === 403) return "neo_http_403";
  if (status === 429) return "neo_http_429";
  return status >= 500 ? "neo_http_5xx" : "neo_http_4xx";
}

/** Parses Neo's `elapsed_time` ("0.69 seconds", "690 ms") into milliseconds. */
export function parseElapsedTime(value: string | undefined): number | undefined {
  const match = value?.trim().match(/^(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec|secs|seconds?)?$/i);
  if (!match) return undefined;
  const amount = Number(match[1]);
  return /^m/i.test(match[2] ?? "s") ? amount : amount * 1000;
}

/** Maps Neo's answer into our flat metrics object, keeping only categories Neo sent. */
export function neoResponseToMetrics(response: NeoAnalyzeResponse): Metrics {
  const categories = Object.fromEntries(
    Object.entries(response.metrics ?? {}).filter(
      ([name, value]) => value !== undefined && NEO_CATEGORIES.has(name),
    ),
  );
  const elapsed = parseElapsedTime(response.elapsed_time);
  const clampScore = (value: number) => Math.min(100, Math.max(0, value));
  return {
    is_ai_generated: response.is_ai_generated,
    human_likeness_score: clampScore(response.human_likeness_score),
    threshold: clampScore(response.threshold),
    source: "neo",
    ...categories,
    ...(response.analysis_id === undefined ? {} : { neo_analysis_id: response.analysis_id }),
    ...(elapsed === undefined ? {} : { neo_elapsed_ms: elapsed }),
  };
}

/** Neo's category names; anything else Neo sends is dropped. */
const NEO_CATEGORIES: ReadonlySet<string> = new Set(NEO_CATEGORY_NAMES);

/**
 * Calls Neo's `POST /analyze` with a timeout, one retry on a network error or 5xx, and one
 * retry after a short `retry-after` on 429. Throws `NeoError` on any failure.
 *
 * @example
 * const metrics = await analyzeWithNeo(text, { apiKey, url: "https://api.neoapi.ai", timeoutMs: 5000 });
 */
export async function analyzeWithNeo(
  text: string,
  options: NeoClientOptions,
  request: { prompt?: string; signal?: AbortSignal } = {},
): Promise<Metrics> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 2;
  const signal = AbortSignal.any([
    AbortSignal.timeout(options.timeoutMs),
    ...(request.signal ? [request.signal] : []),
  ]);
  const body = JSON.stringify({
    text,
    ...(request.prompt === undefined ? {} : { prompt: request.prompt }),
    project: "neon-nexus",
    group: "chat",
    analysis_slug: "chat",
    full_metrics: true,
    language: "auto",
  });

  for (let attempt = 1; ; attempt += 1) {
    const isLastAttempt = attempt === 2;
    let response: Response;
    try {
      response = await fetchImpl(`${options.url.replace(/\/+$/, "")}/analyze`, {
        method: "POST",
        headers: { authorization: `Bearer ${options.apiKey}`, "content-type": "application/json" },
        body,
        signal,
      });
    } catch {
      if (signal.aborted) throw new NeoError("neo_timeout");
      if (isLastAttempt) throw new NeoError("neo_network_error");
      continue;
    }
    if (response.ok) return neoResponseToMetrics(await readAnswer(response, signal));
    await response.body?.cancel().catch(() => undefined);
    const reason = reasonForStatus(response.status);
    if (isLastAttempt) throw new NeoError(reason, response.status);
    if (response.status === 429) {
      const waitMs = parseRetryAfter(response.headers.get("retry-after"));
      if (waitMs === undefined || waitMs > maxRetryAfterSeconds * 1000) throw new NeoError(reason, 429);
      await sleep(waitMs, signal, () => new NeoError("neo_timeout"));
    } else if (response.status < 500) {
      throw new NeoError(reason, response.status);
    }
  }
}

async function readAnswer(response: Response, signal: AbortSignal): Promise<NeoAnalyzeResponse> {
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new NeoError(signal.aborted ? "neo_timeout" : "neo_bad_response");
  }
  const parsed = NeoAnalyzeResponseSchema().safeParse(json);
  if (!parsed.success) throw new NeoError("neo_bad_response");
  return parsed.data;
}
