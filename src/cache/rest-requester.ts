import { errors, type Requester, type UpstashRequest, type UpstashResponse } from "@upstash/redis";
import { CacheUnavailableError } from "./types";

export interface RestRequesterOptions {
  url: string;
  token: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** A single command waiting for the pipeline of its turn. */
interface Queued {
  command: unknown;
  resolve(outcome: UpstashResponse<unknown>): void;
  reject(error: unknown): void;
}

/** Most commands one batched pipeline carries; more start the next one. */
const MAX_BATCH = 32;
/**
 * Promise hops a batch waits before it is sent: calls made from async functions a few awaits deep
 * in the same turn (a chat's history and usage writes after its answer) still join it.
 */
const BATCH_HOPS = 4;

function describeFailure(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") return `timeout after ${timeoutMs} ms`;
  return "network error";
}

/**
 * A transport for `@upstash/redis` that sends each request exactly once, aborts it after `timeoutMs`,
 * sends no telemetry headers and asks for plain UTF-8 results (no base64 step).
 * Single commands issued in the same turn (before the code that issued them waits on anything)
 * go out together as one `/pipeline` request: one subrequest instead of one each, each command
 * still answered, or failed, on its own. A command issued alone goes out alone, as before.
 * Redis command errors surface as `UpstashError` (as with the stock client); anything that makes the
 * cache unusable (timeout, network, 401, 5xx, garbage) as `CacheUnavailableError`.
 *
 * @example
 * const redis = new Redis(createRestRequester({ url, token, timeoutMs: 500 }));
 */
export function createRestRequester(options: RestRequesterOptions): Requester {
  const baseUrl = options.url.replace(/\/+$/, "");
  const headers = { authorization: `Bearer ${options.token}`, "content-type": "application/json" };
  const send = options.fetch ?? ((input, init) => fetch(input, init));

  async function post<TBody>(path: string, body: unknown, extra?: HeadersInit): Promise<TBody> {
    const signal = AbortSignal.timeout(options.timeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await send(path ? `${baseUrl}/${path}` : baseUrl, {
        method: "POST",
        headers: extra ? { ...headers, ...extra } : headers,
        body: JSON.stringify(body),
        signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw new CacheUnavailableError(describeFailure(error, options.timeoutMs), { cause: error });
    }
    let parsed: { error?: unknown };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CacheUnavailableError(`HTTP ${status} with a body that is not JSON`);
    }
    if (status === 400 && typeof parsed?.error === "string") throw new errors.UpstashError(parsed.error);
    if (status < 200 || status > 299) throw new CacheUnavailableError(`HTTP ${status}`);
    return parsed as TBody;
  }

  let batch: Queued[] | undefined;

  async function flush(queued: Queued[]): Promise<void> {
    for (let hop = 0; hop < BATCH_HOPS; hop++) await Promise.resolve();
    if (batch === queued) batch = undefined;
    if (queued.length === 1) {
      const [only] = queued as [Queued];
      return post<UpstashResponse<unknown>>("", only.command).then(only.resolve, only.reject);
    }
    try {
      const outcomes = await post<Array<UpstashResponse<unknown>>>(
        "pipeline",
        queued.map((entry) => entry.command),
      );
      if (!Array.isArray(outcomes) || outcomes.length !== queued.length)
        throw new CacheUnavailableError("pipeline answered a different number of results");
      queued.forEach((entry, index) => {
        entry.resolve(outcomes[index] as UpstashResponse<unknown>);
      });
    } catch (error) {
      for (const entry of queued) entry.reject(error);
    }
  }

  function enqueue<TResult>(command: unknown): Promise<UpstashResponse<TResult>> {
    return new Promise((resolve, reject) => {
      const entry = { command, resolve, reject } as Queued;
      if (batch && batch.length < MAX_BATCH) return void batch.push(entry);
      batch = [entry];
      void flush(batch);
    });
  }

  return {
    request<TResult>(request: UpstashRequest): Promise<UpstashResponse<TResult>> {
      const path = (request.path ?? []).join("/");
      if (path === "" && request.headers === undefined) return enqueue<TResult>(request.body);
      return post<UpstashResponse<TResult>>(path, request.body, request.headers);
    },
  };
}
