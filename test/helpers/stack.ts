import { expect, vi } from "vitest";
import { type RedisRestStack, startRedisRestStack } from "./bridge";
import { type FakeEmbedder, startFakeEmbedder } from "./fake-embedder";
import { type FakeLlm, startFakeLlm } from "./fake-llm";
import { type OtlpReceiver, startOtlpReceiver } from "./otlp-receiver";
import { type PartykitDevServer, startPartykitDev } from "./partykit";
import { startVectorServer, type VectorServerProcess } from "./vector-server";
import { startWranglerDev, type WranglerDevServer } from "./wrangler";

export interface StackOptions {
  /** PGlite + pgvector behind the Hyperdrive binding (migrated) and a fake Ollama embedder. */
  vectors?: boolean;
  /** redis-server behind the Upstash-compatible REST bridge. */
  redis?: boolean;
  /** `partykit dev` rooms sharing this secret with the worker. */
  partySecret?: string;
  /** An OTLP/HTTP collector the worker's traces go to (OTEL_EXPORTER_OTLP_ENDPOINT). */
  collector?: boolean;
  /** The worker's own variables; the wiring to the parts above is added by the helper. */
  vars: Record<string, string> | ((parts: StackParts) => Record<string, string>);
  testScheduled?: boolean;
}

/** The processes besides the worker; each optional one is there when its option asked for it. */
export interface StackParts {
  llm: FakeLlm;
  embedder?: FakeEmbedder;
  vectors?: VectorServerProcess;
  redis?: RedisRestStack;
  rooms?: PartykitDevServer;
  collector?: OtlpReceiver;
}

/** What `startStack(options)` started: the parts its options asked for are always there. */
export type Stack<O extends Omit<StackOptions, "vars"> = Omit<StackOptions, "vars">> = {
  llm: FakeLlm;
  worker: WranglerDevServer;
  /** Stops the worker, then everything else. */
  stop(): Promise<void>;
} & (O extends { vectors: true } ? { embedder: FakeEmbedder; vectors: VectorServerProcess } : unknown) &
  (O extends { redis: true } ? { redis: RedisRestStack } : unknown) &
  (O extends { partySecret: string } ? { rooms: PartykitDevServer } : unknown) &
  (O extends { collector: true } ? { collector: OtlpReceiver } : unknown);

/**
 * Starts a fake Groq and the parts `options` names in parallel, then a real `wrangler dev` wired to
 * them (LLM_PROVIDERS=groq and GROQ_BASE_URL, the embedder and Hyperdrive, UPSTASH_REDIS_REST_*,
 * PARTYKIT_HOST and PARTY_SECRET, OTEL_EXPORTER_OTLP_ENDPOINT); `vars` come last and win. If
 * anything fails to start, what did start is stopped before the error is thrown.
 *
 * @example
 * const stack = await startStack({ redis: true, vars: { AUTH_DISABLED: "true", GROQ_MODEL: "ok:x" } });
 */
export async function startStack<const O extends StackOptions>(options: O): Promise<Stack<O>> {
  const { partySecret } = options;
  const settled = await Promise.allSettled([
    startFakeLlm(),
    options.vectors ? startFakeEmbedder() : undefined,
    options.vectors ? startVectorServer({ migrate: true }) : undefined,
    options.redis ? startRedisRestStack() : undefined,
    partySecret === undefined ? undefined : startPartykitDev({ vars: { PARTY_SECRET: partySecret } }),
    options.collector ? startOtlpReceiver() : undefined,
  ]);
  const [llm, embedder, vectors, redis, rooms, collector] = [
    settledValue(settled[0]),
    settledValue(settled[1]),
    settledValue(settled[2]),
    settledValue(settled[3]),
    settledValue(settled[4]),
    settledValue(settled[5]),
  ];
  let worker: WranglerDevServer | undefined;
  const stop = async () => {
    await worker?.stop();
    await Promise.allSettled([
      vectors?.stop(),
      rooms?.stop(),
      embedder?.close(),
      llm?.close(),
      redis?.close(),
      collector?.close(),
    ]);
  };
  try {
    const failed = settled.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    const parts: StackParts = { llm: llm as FakeLlm, embedder, vectors, redis, rooms, collector };
    const own = typeof options.vars === "function" ? options.vars(parts) : options.vars;
    worker = await startWranglerDev({
      vars: {
        LLM_PROVIDERS: "groq",
        GROQ_BASE_URL: parts.llm.groqBaseUrl,
        ...(embedder
          ? { EMBEDDING_PROVIDER: "ollama", EMBEDDING_BASE_URL: embedder.url, EMBEDDING_MODEL: "ok" }
          : {}),
        ...(vectors ? { VECTOR_TIMEOUT_MS: "5000" } : {}),
        ...(redis ? { UPSTASH_REDIS_REST_URL: redis.url, UPSTASH_REDIS_REST_TOKEN: redis.token } : {}),
        ...(collector ? { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url } : {}),
        ...(rooms && partySecret !== undefined
          ? { PARTYKIT_HOST: rooms.url, PARTY_SECRET: partySecret }
          : {}),
        ...own,
      },
      env: vectors ? { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_VECTOR_DB: vectors.url } : {},
      testScheduled: options.testScheduled,
    });
    return { ...parts, worker, stop } as Stack<O>;
  } catch (error) {
    await stop();
    throw error;
  }
}

const settledValue = <T>(result: PromiseSettledResult<T>): T | undefined =>
  result.status === "fulfilled" ? result.value : undefined;

/**
 * A request to the worker at `baseUrl` with `key` as the bearer, the body sent as JSON.
 *
 * @example
 * const response = await callAs(stack.worker.url, ALICE, "DELETE", `/conversations/${id}`);
 */
export const callAs = (baseUrl: string, key: string, method: string, path: string, body?: unknown) =>
  fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

/** `POST /chat` as `key`; the answer must be a 200 (its body is the failure message otherwise). */
export async function chatAs<T>(baseUrl: string, key: string, body: Record<string, unknown>): Promise<T> {
  const response = await callAs(baseUrl, key, "POST", "/chat", body);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

/** Exchanges are stored after the answer (waitUntil): waits until `key`'s search of the conversation for `text` finds `messageId`. */
export async function searchFinds(
  baseUrl: string,
  key: string,
  conversationId: string,
  messageId: string,
  text: string,
): Promise<void> {
  await vi.waitFor(
    async () => {
      const path = `/conversations/${conversationId}/search?q=${encodeURIComponent(text)}&k=5`;
      const response = await callAs(baseUrl, key, "GET", path);
      expect(response.status).toBe(200);
      const found = (await response.json()) as { results: Array<{ messageId: string }> };
      expect(found.results.map((result) => result.messageId)).toContain(messageId);
    },
    { timeout: 30_000, interval: 300 },
  );
}
