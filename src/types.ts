import type { Env } from "./config";
import type { Services } from "./services";

/** Per-request facts the request log line reports; routes fill in what they learn. */
export interface RequestFacts {
  provider?: string;
  model?: string;
  tokens?: number;
  keyName?: string;
  metricsSource?: string;
  failures?: string[];
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    services: Services;
    facts: RequestFacts;
  };
}
