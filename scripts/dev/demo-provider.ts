/**
 * The demo provider: a tiny OpenAI-compatible server on 127.0.0.1 that `npm run dev` starts, so a
 * newcomer without a key or a model sees a scored chat. It answers `/v1/chat/completions` (JSON, or
 * SSE word by word when `stream` is set) with canned sample texts, in turn, and `/v1/models` with
 * its one model. Offered tools, it calls one (arguments filled from the question, see `demoToolCall`)
 * and then answers with what the tool returned, so a tool loop runs end to end offline. The worker
 * uses it only while no real provider is configured (src/providers/demo).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { DEMO_MODEL } from "../../src/providers/demo/model.ts";
import { DEMO_REPLIES } from "./demo-replies.ts";
import { listen, readBody, sendJson } from "./http.ts";

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
    if (req.method === "POST" && path === "/v1/chat/completions")
      return void answerChat(
        req,
        res,
        wordDelayMs,
        () => DEMO_REPLIES[turn++ % DEMO_REPLIES.length]?.text ?? "",
      );
    return sendError(res, 404, "not_found", `The demo provider has no ${req.method} ${path}`);
  });
  const { url, close } = await listen(server, host, port);
  return { url: `${url}/v1`, close };
}

interface ChatBody {
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: DemoMessage[];
  tools?: DemoTool[];
  tool_choice?: unknown;
}

interface DemoMessage {
  role?: string;
  content?: unknown;
  tool_calls?: Array<{ function?: { name?: string } }>;
}

interface DemoTool {
  type?: string;
  function?: { name?: string; parameters?: JsonSchema };
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
}

/** A tool call as OpenAI sends it in `message.tool_calls`. */
interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

async function answerChat(
  req: IncomingMessage,
  res: ServerResponse,
  wordDelayMs: number,
  nextReply: () => string,
) {
  let body: ChatBody;
  try {
    body = JSON.parse(await readBody(req)) as ChatBody;
  } catch {
    return sendError(res, 400, "invalid_json", "The request body is not JSON");
  }
  const id = `chatcmpl-demo-${Date.now().toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  const call = demoToolCall(body, id);
  const reply = call ? "" : (toolResultReply(body.messages ?? []) ?? nextReply());
  const promptTokens = countWords(JSON.stringify(body.messages ?? []));
  const completionTokens = call ? countWords(call.function.arguments) : countWords(reply);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const finishReason = call ? "tool_calls" : "stop";
  if (!body.stream) {
    const message = call
      ? { role: "assistant", content: null, tool_calls: [call] }
      : { role: "assistant", content: reply };
    return sendJson(res, 200, {
      id,
      object: "chat.completion",
      created,
      model: DEMO_MODEL,
      choices: [{ index: 0, message, finish_reason: finishReason }],
      usage,
    });
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    res.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: DEMO_MODEL, choices, ...extra })}\n\n`,
    );
  chunk([{ index: 0, delta: { role: "assistant", content: call ? null : "" }, finish_reason: null }]);
  if (call) {
    // As OpenAI streams a call: the first delta names it, the arguments follow in fragments.
    const { name, arguments: args } = call.function;
    const head = { index: 0, id: call.id, type: "function", function: { name, arguments: "" } };
    chunk([{ index: 0, delta: { tool_calls: [head] }, finish_reason: null }]);
    for (const part of args.match(/.{1,8}/gs) ?? []) {
      chunk([
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { arguments: part } }] },
          finish_reason: null,
        },
      ]);
    }
  }
  for (const word of reply.match(/\S+\s*/g) ?? []) {
    if (res.destroyed) return;
    chunk([{ index: 0, delta: { content: word }, finish_reason: null }]);
    await new Promise((resolve) => setTimeout(resolve, wordDelayMs));
  }
  chunk([{ index: 0, delta: {}, finish_reason: finishReason }]);
  if (body.stream_options?.include_usage) chunk([], { usage });
  res.end("data: [DONE]\n\n");
}

/**
 * The call the demo model makes when it is offered tools and the last turn is the user's: the tool
 * `tool_choice` names, else the first one, with each required argument filled from the question —
 * a string gets its last capitalised word (the place or name in "What is the weather in Paris?"),
 * a number its first number, an enum its first value. No call for `tool_choice: "none"`.
 */
function demoToolCall(body: ChatBody, id: string): ToolCall | undefined {
  const tools = (body.tools ?? []).filter((tool) => tool.type === "function" && tool.function?.name);
  const last = body.messages?.at(-1);
  if (tools.length === 0 || last?.role !== "user" || body.tool_choice === "none") return undefined;
  const chosen = (body.tool_choice as { function?: { name?: string } } | undefined)?.function?.name;
  const tool = tools.find((candidate) => candidate.function?.name === chosen) ?? tools[0];
  const question = textOf(last.content);
  const schema = tool?.function?.parameters ?? {};
  const names = schema.required ?? Object.keys(schema.properties ?? {});
  const args = Object.fromEntries(
    names.map((name) => [name, valueFor(schema.properties?.[name] ?? {}, question)]),
  );
  return {
    id: `call_demo_${id.slice(-8)}`,
    type: "function",
    function: { name: tool?.function?.name ?? "", arguments: JSON.stringify(args) },
  };
}

function valueFor(schema: JsonSchema, question: string): unknown {
  if (schema.enum?.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "number" || type === "integer") return Number(question.match(/-?\d+(\.\d+)?/)?.[0] ?? 1);
  if (type === "boolean") return true;
  if (type === "array") return [];
  if (type === "object") return {};
  const capitalised = question.match(/\b[A-Z][\p{L}'-]*/gu);
  return capitalised?.at(-1) ?? question.trim().split(/\s+/).at(-1) ?? "";
}

/** After a tool ran, the demo answers with what the tool returned (it has nothing else to go on). */
function toolResultReply(messages: DemoMessage[]): string | undefined {
  const results: string[] = [];
  for (let index = messages.length - 1; messages[index]?.role === "tool"; index--) {
    results.unshift(textOf(messages[index]?.content));
  }
  if (results.length === 0) return undefined;
  return `The tool answered: ${results.join("; ")}. That is all I know here: this is the demo provider, which answers from the tool's result and canned texts only.`;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((part) => (typeof part?.text === "string" ? part.text : "")).join(" ");
  return "";
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

const countWords = (text: string) => text.split(/\s+/).filter(Boolean).length;
