import type { Context } from "hono";
import type { Env } from "./config";
import type { ApiError } from "./lib/errors";
import type { Services } from "./services";

/** Per-request facts the request log line reports; routes fill in what they learn. */
export interface RequestFacts {
  provider?: string;
  model?: string;
  tokens?: number;
  keyName?: string;
  metricsSource?: string;
  failures?: string[];
  /** Milliseconds from the chat's start until a provider answered (for a stream: started), for `Server-Timing`. */
  providerMs?: number;
  /** How a streamed answer ended: `done`, the error code sent in its `error` event, or `client_gone`. */
  streamOutcome?: string;
}

/** Writes an error answer; a route family with its own error shape sets one for its requests. */
export type ErrorRenderer = (c: Context<AppEnv>, error: ApiError) => Response;

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    services: Services;
    facts: RequestFacts;
    /** Set by a middleware on a route family (say `/v1/*`) whose errors are not in the envelope. */
    renderError?: ErrorRenderer;
    /** Set by a streamed answer: settles when the stream has ended, so the request is logged then. */
    streamEnd?: Promise<void>;
  };
}
