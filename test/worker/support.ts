import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { inject } from "vitest";
import app from "../../src/index";

declare module "vitest" {
  export interface ProvidedContext {
    fakeLlmUrl: string;
    fakeEmbedderUrl: string;
    redisRest: { url: string; token: string };
    redisHoldingUrl: string;
  }
}

export const fakeLlmUrl = () => inject("fakeLlmUrl");
/** The fake embedding server (Ollama's `/api/embed`, OpenAI's `/v1/embeddings`). */
export const fakeEmbedderUrl = () => inject("fakeEmbedderUrl");

/** The env settings that put the worker's cache on a real redis-server, through the REST bridge. */
export function realRedis(): Record<string, string> {
  const { url, token } = inject("redisRest");
  return { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token };
}

/** The same Redis through a proxy that holds any command carrying `hold-<key>` until `releaseRedis(key)`. */
export function holdingRedis(): Record<string, string> {
  return { ...realRedis(), UPSTASH_REDIS_REST_URL: inject("redisHoldingUrl") };
}

/** Lets the held Redis commands carrying `hold-<key>` through; answers once some were waiting. */
export async function releaseRedis(key: string): Promise<void> {
  await fetch(`${inject("redisHoldingUrl")}/__release/${key}`, { method: "POST" });
}

/** How many Redis commands carrying `hold-<key>` are being held. */
export async function heldRedis(key: string): Promise<number> {
  return ((await (await fetch(`${inject("redisHoldingUrl")}/__held/${key}`)).json()) as { held: number })
    .held;
}

/** The Redis REST requests that passed the holding proxy with `text` in their body, in order. */
export async function seenByRedis(text: string): Promise<Array<{ path: string; body: string }>> {
  const url = `${inject("redisHoldingUrl")}/__seen/${encodeURIComponent(text)}`;
  return ((await (await fetch(url)).json()) as { requests: Array<{ path: string; body: string }> }).requests;
}

let counter = 0;
/** A key unique to one test, so the fake server's call counters do not mix. */
export function uniqueKey(label: string): string {
  counter++;
  return `${label}-${Date.now().toString(36)}-${counter}`;
}

/** An env with Groq and Ollama pointing at the fake server; the model name picks its behaviour. */
export function makeEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    AUTH_DISABLED: "true",
    GROQ_API_KEY: "gsk_test_000000000000000000000000",
    GROQ_BASE_URL: `${fakeLlmUrl()}/openai/v1`,
    GROQ_MODEL: "ok:default",
    OLLAMA_URL: fakeLlmUrl(),
    OLLAMA_MODEL: "ok:default",
    LLM_PROVIDERS: "groq",
    PROVIDER_FIRST_BYTE_TIMEOUT_MS: "2000",
    PROVIDER_TOTAL_TIMEOUT_MS: "5000",
    LOG_LEVEL: "error",
    ...overrides,
  };
}

/** Calls the worker inside workerd with `env`, and waits for its `waitUntil` work too. */
export async function call(
  path: string,
  init: RequestInit & { json?: unknown } = {},
  env: Record<string, string> = makeEnv(),
): Promise<Response> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`http://nexus.test${path}`, { ...init, headers, body }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

export async function calls(key: string): Promise<{ calls: number; aborted: number }> {
  const response = await fetch(`${fakeLlmUrl()}/__calls/${encodeURIComponent(key)}`);
  return (await response.json()) as { calls: number; aborted: number };
}

/** The JSON bodies of the chat requests the fake server received for `key`, oldest first. */
export async function requestsFor(key: string): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${fakeLlmUrl()}/__requests/${encodeURIComponent(key)}`);
  return (await response.json()) as Array<Record<string, unknown>>;
}

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads a whole SSE body into its events. */
export async function readSse(response: Response): Promise<SseEvent[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split("\n");
      const event =
        lines
          .find((line) => line.startsWith("event:"))
          ?.slice(6)
          .trim() ?? "message";
      const data = lines
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trim())
        .join("\n");
      return { event, data: JSON.parse(data) as unknown };
    });
}

/** The JSON chunks of an OpenAI stream body, in order, without `[DONE]`. */
export async function openAIChunks<T>(response: Response): Promise<T[]> {
  return (await response.text())
    .split("\n\n")
    .filter((block) => block.startsWith("data: {"))
    .map((block) => JSON.parse(block.slice(6)) as T);
}
