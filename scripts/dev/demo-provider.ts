/**
 * The demo provider: a tiny OpenAI-compatible server on 127.0.0.1 that `npm run dev` starts, so a
 * newcomer without a key or a model sees a scored chat. It answers `/v1/chat/completions` (JSON, or
 * SSE word by word when `stream` is set) with canned sample texts, in turn, and `/v1/models` with
 * its one model. The worker uses it only while no real provider is configured (src/providers/demo).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DEMO_MODEL } from "../../src/providers/demo/model.ts";
import { DEMO_REPLIES } from "./demo-replies.ts";

export interface DemoProvider {
  /** The OpenAI-style base URL, e.g. `http://127.0.0.1:43117/v1`. */
  url: string;
  close(): Promise<void>;
}

export interface DemoProviderOptions {
  host: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Pause between streamed words, so the demo page's gauge visibly moves (default 30 ms). */
  wordDelayMs?: number;
}

/**
 * Starts the demo upstream.
 *
 * @example
 * const demo = await startDemoProvider({ host: "127.0.0.1" });
 * // wrangler dev --var DEMO_PROVIDER_URL:${demo.url}
 */
export async function startDemoProvider({
  host,
  port = 0,
  wordDelayMs = 30,
}: DemoProviderOptions): Promise<DemoProvider> {
  let turn = 0;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://demo").pathname;
    if (req.method === "GET" && path === "/v1/models") return sendModels(res);
    if (req.method === "POST" && path === "/v1/chat/completions") {
      const reply = DEMO_REPLIES[turn++ % DEMO_REPLIES.length]?.text ?? "";
      return void answerChat(req, res, reply, wordDelayMs);
    }
    return sendError(res, 404, "not_found", `The demo provider has no ${req.method} ${path}`);
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface ChatBody {
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: Array<{ content?: unknown }>;
}

async function answerChat(req: IncomingMessage, res: ServerResponse, reply: string, wordDelayMs: number) {
  let body: ChatBody;
  try {
    body = JSON.parse(await readBody(req)) as ChatBody;
  } catch {
    return sendError(res, 400, "invalid_json", "The request body is not JSON");
  }
  const id = `chatcmpl-demo-${Date.now().toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  const promptTokens = countWords(JSON.stringify(body.messages ?? []));
  const completionTokens = countWords(reply);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  if (!body.stream) {
    return sendJson(res, 200, {
      id,
      object: "chat.completion",
      created,
      model: DEMO_MODEL,
      choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }],
      usage,
    });
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    res.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: DEMO_MODEL, choices, ...extra })}\n\n`,
    );
  chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]);
  for (const word of reply.match(/\S+\s*/g) ?? []) {
    if (res.destroyed) return;
    chunk([{ index: 0, delta: { content: word }, finish_reason: null }]);
    await new Promise((resolve) => setTimeout(resolve, wordDelayMs));
  }
  chunk([{ index: 0, delta: {}, finish_reason: "stop" }]);
  if (body.stream_options?.include_usage) chunk([], { usage });
  res.end("data: [DONE]\n\n");
}

function sendModels(res: ServerResponse) {
  sendJson(res, 200, {
    object: "list",
    data: [{ id: DEMO_MODEL, object: "model", created: 0, owned_by: "neon-nexus-demo" }],
  });
}

function sendError(res: ServerResponse, status: number, code: string, message: string) {
  sendJson(res, status, { error: { message, type: "invalid_request_error", code, param: null } });
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (part: string) => (text += part));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

const countWords = (text: string) => text.split(/\s+/).filter(Boolean).length;
