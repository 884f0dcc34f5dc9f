import {
  type FallbackReason,
  type Metrics,
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

const sleep = (milliseconds: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, milliseconds);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new NeoError("neo_timeout"));
      },
      { once: true },
    );
  });

function reasonForStatus(status: number): FallbackReason {
  if (status === 401) return "neo_http_401";
  if (status === 403) return "neo_http_403";
  if (status === 429) return "neo_http_429";
  return status >= 500 ? "neo_http_5xx" : "neo_http_4xx";
}

/** Seconds to wait from a `retry-after` header (delta seconds or HTTP date); undefined if absent. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
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
      ([name, value]) => value !== undefined && name in NEO_CATEGORY_NAMES,
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

const NEO_CATEGORY_NAMES = {
  text_coherence_complexity: true,
  readability_metrics: true,
  vocabulary_lexical_diversity: true,
  topic_modeling_analysis: true,
  sentiment_subjectivity: true,
  stylistic_features: true,
  statistical_metrics: true,
  ai_signature_analysis: true,
  structural_analysis: true,
} as const;

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
      const waitSeconds = retryAfterSeconds(response.headers.get("retry-after"));
      if (waitSeconds === undefined || waitSeconds > maxRetryAfterSeconds) throw new NeoError(reason, 429);
      await sleep(waitSeconds * 1000, signal);
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
  const parsed = NeoAnalyzeResponseSchema.safeParse(json);
  if (!parsed.success) throw new NeoError("neo_bad_response");
  return parsed.data;
}
