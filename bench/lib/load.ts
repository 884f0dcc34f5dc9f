import { Agent, request } from "node:http";
import autocannon from "autocannon";

/** One kind of request sent to one server. */
export interface Target {
  name: string;
  url: string;
  method: "GET" | "POST";
  path: string;
  body?: string;
  /** Extra request headers, e.g. `X-Metrics` for the OpenAI surface. */
  headers?: Record<string, string>;
  /** Runs before each measurement, e.g. to re-create a cache entry that later traffic evicted. */
  refresh?: () => Promise<void>;
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  /** Non-2xx answers, socket errors and timeouts. */
  failures: number;
  /** autocannon's latency percentiles, whole milliseconds. */
  p50Ms: number;
  p99Ms: number;
}

const CALLERS = 64;
let nextCaller = 0;

/**
 * A client address from a pool of 64, in turn: the worker keeps a rate budget per caller (the
 * `cf-connecting-ip` when auth is off), so spreading the load keeps every caller under its budget
 * while the limiter stays in the measured path.
 */
export function callerAddress(): string {
  nextCaller = (nextCaller + 1) % CALLERS;
  return `10.0.${nextCaller >> 8}.${nextCaller & 255}`;
}

/** How long a load runs: for a number of seconds, or until a number of requests were answered. */
export type LoadLimit = { seconds: number } | { amount: number };

/** Closed-loop load with `connections` keep-alive connections (autocannon). */
export async function runLoad(target: Target, connections: number, limit: LoadLimit): Promise<LoadResult> {
  await target.refresh?.();
  const result = await autocannon({
    url: `${target.url}${target.path}`,
    method: target.method,
    body: target.body,
    headers: { ...(target.body ? { "content-type": "application/json" } : {}), ...target.headers },
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, "cf-connecting-ip": callerAddress() },
        }),
      },
    ],
    connections,
    ...("seconds" in limit ? { duration: limit.seconds } : { amount: limit.amount, duration: 60 }),
    timeout: 10,
  });
  return {
    requestsPerSecond: result.requests.total / Math.max(result.duration, 0.001),
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/** A sequence of requests over one keep-alive connection, for sub-millisecond latencies. */
export class SequentialClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  private readonly target: Target;

  constructor(target: Target) {
    this.target = target;
  }

  /** Sends one request and returns its milliseconds from send to the last byte of the body. */
  async once(): Promise<number> {
    const { status, body, timings } = await this.exchange();
    if (status < 200 || status > 299)
      throw new Error(`${this.target.name} answered ${status}: ${body.slice(0, 200)}`);
    return timings.end;
  }

  /** Sends one request; `onChunk` sees each body chunk with its arrival time (ms since send). */
  exchange(
    onChunk?: (text: string, atMs: number) => void,
  ): Promise<{ status: number; body: string; timings: Timings }> {
    const { target } = this;
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const outgoing = request(
        `${target.url}${target.path}`,
        {
          method: target.method,
          agent: this.agent,
          headers: {
            ...(target.body
              ? { "content-type": "application/json", "content-length": Buffer.byteLength(target.body) }
              : {}),
            ...target.headers,
          },
        },
        (response) => {
          const headersMs = performance.now() - started;
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            body += chunk;
            onChunk?.(chunk, performance.now() - started);
          });
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 0,
              body,
              timings: { headers: headersMs, end: performance.now() - started },
            }),
          );
          response.on("error", reject);
        },
      );
      outgoing.setTimeout(15_000, () => outgoing.destroy(new Error(`${target.name}: no answer within 15 s`)));
      outgoing.on("error", reject);
      outgoing.end(target.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface Timings {
  headers: number;
  end: number;
}
