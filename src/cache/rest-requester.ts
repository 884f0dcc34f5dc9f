import { errors, type Requester, type UpstashRequest, type UpstashResponse } from "@upstash/redis";
import { CacheUnavailableError } from "./types";

export interface RestRequesterOptions {
  url: string;
  token: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") return `timeout after ${timeoutMs} ms`;
  return "network error";
}

/**
 * A transport for `@upstash/redis` that sends each request exactly once, aborts it after `timeoutMs`,
 * sends no telemetry headers and asks for plain UTF-8 results (no base64 step).
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

  return {
    async request<TResult>(request: UpstashRequest): Promise<UpstashResponse<TResult>> {
      const url = [baseUrl, ...(request.path ?? [])].join("/");
      const signal = AbortSignal.timeout(options.timeoutMs);
      let status: number;
      let text: string;
      try {
        const response = await send(url, {
          method: "POST",
          headers: { ...headers, ...request.headers },
          body: JSON.stringify(request.body),
          signal,
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        throw new CacheUnavailableError(describeFailure(error, options.timeoutMs), { cause: error });
      }
      let body: UpstashResponse<TResult>;
      try {
        body = JSON.parse(text) as UpstashResponse<TResult>;
      } catch {
        throw new CacheUnavailableError(`HTTP ${status} with a body that is not JSON`);
      }
      if (status === 400 && typeof body?.error === "string") throw new errors.UpstashError(body.error);
      if (status < 200 || status > 299) throw new CacheUnavailableError(`HTTP ${status}`);
      return body;
    },
  };
}
