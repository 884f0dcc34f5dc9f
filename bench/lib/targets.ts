import type { Target } from "./load.ts";
import { sleep } from "./workerd.ts";

export const PROMPT = "Describe a quiet harbour town in winter in about a hundred and fifty words.";

/** The fake upstream itself, called the way the baseline calls it. */
export function directTarget(
  groqBaseUrl: string,
  options: { stream?: boolean; model?: string } = {},
): Target {
  const url = new URL(groqBaseUrl);
  return {
    name: "upstream direct",
    url: url.origin,
    method: "POST",
    path: `${url.pathname}/chat/completions`,
    body: JSON.stringify({
      model: options.model ?? "openai/gpt-oss-20b",
      messages: [{ role: "user", content: PROMPT }],
      ...(options.stream ? { stream: true } : {}),
    }),
  };
}

/** `POST /chat` on either worker; the baseline ignores `metrics`. */
export function chatTarget(name: string, url: string, fields: Record<string, unknown> = {}): Target {
  return { name, url, method: "POST", path: "/chat", body: JSON.stringify({ message: PROMPT, ...fields }) };
}

/** `POST /v1/chat/completions` with `headers`, asking `model` for the benchmark's prompt. */
function chatCompletionsTarget(
  name: string,
  url: string,
  headers: Record<string, string>,
  model: string,
  stream: boolean | undefined,
): Target {
  return {
    name,
    url,
    method: "POST",
    path: "/v1/chat/completions",
    headers,
    body: JSON.stringify({
      model,
      messages: [{ role: "user", content: PROMPT }],
      ...(stream ? { stream: true } : {}),
    }),
  };
}

/** `POST /v1/chat/completions` on our worker, the OpenAI request the bare proxy's upstream takes. */
export function openAITarget(
  name: string,
  url: string,
  metrics: "sync" | "async" | "off",
  options: { stream?: boolean; model?: string } = {},
): Target {
  const model = `groq/${options.model ?? "openai/gpt-oss-20b"}`;
  return chatCompletionsTarget(name, url, { "x-metrics": metrics }, model, options.stream);
}

/**
 * `POST /v1/chat/completions` on Portkey's gateway, routed to the fake upstream as an OpenAI-compatible
 * custom host: the request `openAITarget` sends, with the model name the upstream sees.
 */
export function portkeyTarget(
  name: string,
  url: string,
  upstreamBaseUrl: string,
  options: { stream?: boolean } = {},
): Target {
  const headers = {
    authorization: "Bearer bench-not-a-secret-key",
    "x-portkey-provider": "openai",
    "x-portkey-custom-host": upstreamBaseUrl,
  };
  return chatCompletionsTarget(name, url, headers, "openai/gpt-oss-20b", options.stream);
}

/**
 * The cache paths of our worker: `GET /messages/{id}` of a fresh chat's reply (answered from the
 * cache; `refresh` makes a new one, since the bounded in-memory cache evicts it under load) and
 * `POST /analyze` of that reply text (with the local analyzer only Neo scores are reused, so this
 * is a hash lookup plus a fresh local analysis).
 */
export async function cacheTargets(url: string): Promise<Target[]> {
  const message: Target = { name: "ours GET /messages (hit)", url, method: "GET", path: "" };
  let replyText = "";
  message.refresh = async () => {
    const chat = await fetch(`${url}/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: PROMPT, metrics: "off" }),
    });
    if (chat.status !== 200)
      throw new Error(`chat for the cache-hit path answered ${chat.status}: ${await chat.text()}`);
    const reply = (await chat.json()) as { id: string; message: string };
    message.path = `/messages/${encodeURIComponent(reply.id)}`;
    replyText = reply.message;
    await retryUntilOk(`${url}${message.path}`, { method: "GET" });
  };
  await message.refresh();
  const analyzeBody = JSON.stringify({ text: replyText });
  await retryUntilOk(`${url}/analyze`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: analyzeBody,
  });
  return [
    message,
    { name: "ours POST /analyze (same text)", url, method: "POST", path: "/analyze", body: analyzeBody },
  ];
}

async function retryUntilOk(url: string, init: RequestInit): Promise<void> {
  let last = "";
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await fetch(url, init);
    last = `${response.status} ${await response.text()}`;
    if (response.status === 200) return;
    await sleep(20);
  }
  throw new Error(`${url} never answered 200: ${last.slice(0, 300)}`);
}
