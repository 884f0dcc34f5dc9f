import { createServer, type Server, type ServerResponse } from "node:http";
import { sendJson as json, readBody } from "../../scripts/dev/http.ts";
import { CAPTURED_NEO_RESPONSE } from "./fake-neo";
import { LONG_REPLY } from "./long-reply";
import { listenOnLoopback } from "./processes";

// The dev script's demo provider answers with the same two helpers.
export { json, readBody };

/**
 * A fake LLM server speaking Groq's OpenAI-compatible wire format (under /openai/v1, and under
 * /compat/v1 as a plain OpenAI-compatible server listing `gpt-4o-mini`) and Ollama's native one
 * (under /api). The model name picks the behaviour: `<scenario>:<key>`, where the key
 * separates one test's call counters from another's. Scenarios:
 *   ok · slow (chunks 150 ms apart) · crawl (chunks 500 ms apart) · rate-limit-once (retry-after 0.2 s) · rate-limit-once-long
 *   (retry-after 30 s) · rate-limit-always · fail-500 · fail-500-once · fail-400 · fail-422 · model-404
 *   · context-too-long (each provider's "context length exceeded" 400) · no-tools (with tools, Ollama's
 *   "does not support tools" 400) · hang
 *   · hang-after-first · headers-then-hang (200 and its headers — for a Groq stream also the role-only
 *   first chunk — then nothing, stream or JSON) · error-midstream · not-json · rate-limit-for-1s (429 with `retry-after: 1`
 *   until a second after the key's first call) · long (`LONG_REPLY`, 233 words, streamed two words
 *   a chunk) · long-paced (the same, chunks 5 ms apart) · echo (the reply is the last user message) · tools (calls the request's first tool with
 *   `{"city":"Paris"}`; once the last message is a tool result, answers "The tool said: <result>") ·
 *   tools-parallel (the same with two calls, Paris and Tokyo, of the first two tools or the first twice).
 *   With `logprobs: true` in the request, text answers carry each chunk's token log probability where the
 *   provider puts it (`choices[].logprobs.content`, Ollama's `logprobs`).
 *   Tool calls come in each provider's own format: Groq/OpenAI with ids and JSON-text arguments (streamed
 *   as a first piece naming the call, then argument fragments), Ollama with whole calls, arguments as
 *   objects and no ids
 * `GET /__calls/<key>` answers `{calls, aborted}` for that key; `GET /__requests/<key>` the JSON
 * bodies of its chat requests, oldest first; `GET /__traceparents/<key>` their `traceparent` headers.
 * Its Groq model list answers 401 `invalid_api_key` to a key containing `invalid`. It also stands in
 * for a PartyKit host at `/parties/main/<room>` (200, counted under `room:<room>`, the messages POSTed
 * kept as that key's requests), and plays Neo API at `POST /neo/analyze`: the real captured answer,
 * counted under the text's first word as key; a text starting with `neo-down` gets a 503; one
 * starting with `neo-hold` is counted, then held until `POST /__release/<first word>` (so a test can
 * act while an analysis runs).
 */
export interface FakeLlm {
  url: string;
  groqBaseUrl: string;
  close(): Promise<void>;
}

interface Counter {
  calls: number;
  aborted: number;
  firstAt?: number;
}

const REPLY = ["Hello", " from", " the", " fake", " model", "."];

/** `LONG_REPLY` in chunks of two words (a chunk ends with the space before the next word). */
const LONG_CHUNKS = LONG_REPLY.match(/\S+\s+\S+\s*|\S+\s*/g) ?? [];

export interface FakeLlmOptions {
  /** Called right after each streamed content chunk is written, with the model name the request gave. */
  onChunk?: (model: string, text: string) => void;
}

export async function startFakeLlm({ onChunk }: FakeLlmOptions = {}): Promise<FakeLlm> {
  const counters = new Map<string, Counter>();
  const held = new Map<string, Array<() => void>>();
  const requestsByKey = new Map<string, unknown[]>();
  const traceparentsByKey = new Map<string, Array<string | null>>();
  const counter = (key: string) => {
    const entry = counters.get(key) ?? { calls: 0, aborted: 0 };
    counters.set(key, entry);
    return entry;
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    if (req.method === "GET" && url.pathname.startsWith("/__requests/")) {
      return json(
        res,
        200,
        requestsByKey.get(decodeURIComponent(url.pathname.slice("/__requests/".length))) ?? [],
      );
    }
    if (req.method === "GET" && url.pathname.startsWith("/__traceparents/")) {
      const key = decodeURIComponent(url.pathname.slice("/__traceparents/".length));
      return json(res, 200, traceparentsByKey.get(key) ?? []);
    }
    if (req.method === "GET" && url.pathname.startsWith("/__calls/")) {
      return json(res, 200, counter(decodeURIComponent(url.pathname.slice("/__calls/".length))));
    }
    if (req.method === "GET" && url.pathname === "/openai/v1/models") {
      if (req.headers.authorization?.includes("invalid")) {
        return json(res, 401, {
          error: { message: "Invalid API Key", type: "invalid_request_error", code: "invalid_api_key" },
        });
      }
      return json(res, 200, {
        object: "list",
        data: [{ id: "openai/gpt-oss-20b", object: "model", created: 1, owned_by: "OpenAI" }],
      });
    }
    if (req.method === "GET" && url.pathname === "/compat/v1/models") {
      return json(res, 200, {
        object: "list",
        data: [{ id: "gpt-4o-mini", object: "model", created: 1, owned_by: "system" }],
      });
    }
    if (req.method === "GET" && url.pathname === "/api/tags") {
      return json(res, 200, { models: [{ name: "llama3.2:latest", model: "llama3.2:latest", size: 1 }] });
    }
    if (req.method === "POST" && url.pathname.startsWith("/__release/")) {
      const key = decodeURIComponent(url.pathname.slice("/__release/".length));
      for (const release of held.get(key) ?? []) release();
      return json(res, 200, { released: held.delete(key) });
    }
    if (url.pathname.startsWith("/parties/main/")) {
      const key = `room:${decodeURIComponent(url.pathname.slice("/parties/main/".length))}`;
      counter(key).calls++;
      if (req.method === "POST")
        requestsByKey.set(key, [...(requestsByKey.get(key) ?? []), JSON.parse(await readBody(req))]);
      return json(res, 200, { connections: 0 });
    }
    if (req.method === "POST" && url.pathname === "/neo/analyze") {
      const { text = "" } = JSON.parse(await readBody(req)) as { text?: string };
      const key = text.split(" ")[0] ?? "";
      counter(key).calls++;
      if (text.startsWith("neo-hold"))
        await new Promise<void>((resolve) => held.set(key, [...(held.get(key) ?? []), resolve]));
      return text.startsWith("neo-down")
        ? json(res, 503, { detail: "unavailable" })
        : json(res, 200, CAPTURED_NEO_RESPONSE);
    }
    const flavour =
      url.pathname === "/openai/v1/chat/completions" || url.pathname === "/compat/v1/chat/completions"
        ? "groq"
        : url.pathname === "/api/chat"
          ? "ollama"
          : null;
    if (req.method !== "POST" || !flavour) return json(res, 404, { error: "not found" });

    const body = JSON.parse(await readBody(req)) as ChatBody;
    const [scenario = "ok", key = "default"] = body.model.split(":");
    const count = counter(key);
    count.calls++;
    count.firstAt ??= Date.now();
    if (key !== "default") {
      requestsByKey.set(key, [...(requestsByKey.get(key) ?? []), body]);
      const traceparent = req.headers.traceparent as string | undefined;
      traceparentsByKey.set(key, [...(traceparentsByKey.get(key) ?? []), traceparent ?? null]);
    }
    res.on("close", () => {
      if (!res.writableFinished) count.aborted++;
    });
    const stream = flavour === "ollama" ? body.stream !== false : body.stream === true;
    const sinceFirstMs = Date.now() - count.firstAt;
    await answer({
      res,
      flavour,
      scenario,
      stream,
      model: body.model,
      call: count.calls,
      sinceFirstMs,
      onChunk,
      body,
    });
  });

  const { url, close } = await listenOnLoopback(server);
  return { url, groqBaseUrl: `${url}/openai/v1`, close };
}

interface ChatBody {
  model: string;
  stream?: boolean;
  logprobs?: boolean;
  messages?: Array<{ role: string; content?: unknown }>;
  tools?: Array<{ function: { name: string } }>;
}

interface Answer {
  body: ChatBody;
  res: ServerResponse;
  flavour: "groq" | "ollama";
  scenario: string;
  stream: boolean;
  model: string;
  call: number;
  sinceFirstMs: number;
  onChunk: FakeLlmOptions["onChunk"];
}

async function answer({
  res,
  flavour,
  scenario,
  stream,
  model,
  call,
  sinceFirstMs,
  onChunk,
  body,
}: Answer): Promise<void> {
  const error = (
    status: number,
    type: string,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ) =>
    json(res, status, flavour === "groq" ? { error: { message, type, code } } : { error: message }, headers);

  const rateLimitedOnce =
    (scenario === "rate-limit-once" || scenario === "rate-limit-once-long") && call === 1;
  if (scenario === "rate-limit-always" || rateLimitedOnce) {
    return error(
      429,
      "tokens",
      "rate_limit_exceeded",
      "Rate limit reached for model. Please try again in 0.2s.",
      {
        "retry-after":
          scenario === "rate-limit-once" ? "0.2" : scenario === "rate-limit-once-long" ? "30" : "2",
      },
    );
  }
  if (scenario === "rate-limit-for-1s" && sinceFirstMs < 1_000) {
    return error(429, "requests", "rate_limit_exceeded", "Rate limit reached. Please try again in 1s.", {
      "retry-after": "1",
    });
  }
  if (scenario === "fail-500" || (scenario === "fail-500-once" && call === 1)) {
    return error(
      500,
      "internal_server_error",
      "internal_error",
      "upstream exploded; account acct_secret_123",
    );
  }
  if (scenario === "fail-400") return error(400, "invalid_request_error", "invalid_request", "bad request");
  if (scenario === "fail-422")
    return error(422, "invalid_request_error", "unprocessable_entity", "bad parameter");
  if (scenario === "context-too-long") {
    return flavour === "groq"
      ? json(res, 400, {
          error: {
            message: "This model's maximum context length is 8192 tokens.",
            type: "invalid_request_error",
            param: "messages",
            code: "context_length_exceeded",
          },
        })
      : json(res, 400, { error: "the input length exceeds the context length" });
  }
  if (scenario === "no-tools" && (body.tools?.length ?? 0) > 0) {
    return flavour === "ollama"
      ? json(res, 400, { error: `registry.ollama.ai/library/${model} does not support tools` })
      : error(400, "invalid_request_error", "invalid_request", "tools are not supported by this model");
  }
  if (scenario === "model-404") {
    return error(404, "invalid_request_error", "model_not_found", `The model \`${model}\` does not exist`);
  }
  if (scenario === "hang") return;
  if (scenario === "headers-then-hang") return headersThenHang(res, flavour, stream, model);
  if (scenario === "not-json") {
    res.writeHead(200, { "content-type": "application/json" });
    return void res.end("<html>oops</html>");
  }

  const lastMessage = body.messages?.at(-1);
  if ((scenario === "tools" || scenario === "tools-parallel") && lastMessage?.role !== "tool") {
    const tools = body.tools ?? [];
    const names = tools.map((tool) => tool.function.name);
    const cities = scenario === "tools-parallel" ? ["Paris", "Tokyo"] : ["Paris"];
    const calls = cities.map((city, index) => ({
      name: names[index] ?? names[0] ?? "missing_tool",
      args: { city },
    }));
    return answerToolCalls(res, flavour, stream, model, calls);
  }
  const long = scenario === "long" || scenario === "long-paced";
  const lastUserMessage = body.messages?.findLast((message) => message.role === "user")?.content;
  const echo = scenario === "echo" && typeof lastUserMessage === "string" ? [lastUserMessage] : undefined;
  const reply =
    lastMessage?.role === "tool"
      ? (`The tool said: ${lastMessage.content ?? ""}`.match(/\S+\s*/g) ?? [])
      : (echo ?? (long ? LONG_CHUNKS : REPLY));
  // With `logprobs: true`, each chunk's tokens (one per chunk here), in the provider's place for them.
  const logprobsOf = (text: string) => [
    { token: text, logprob: -0.25, bytes: [...Buffer.from(text)], top_logprobs: [] },
  ];
  const withLogprobs = <T extends object>(payload: T, texts: string[]): T => {
    if (!body.logprobs) return payload;
    const tokens = texts.flatMap(logprobsOf);
    if (flavour === "ollama") return { ...payload, logprobs: tokens };
    const { choices } = payload as { choices: object[] };
    return { ...payload, choices: choices.map((choice) => ({ ...choice, logprobs: { content: tokens } })) };
  };
  if (!stream) {
    const text = reply.join("");
    return flavour === "groq"
      ? json(res, 200, withLogprobs(groqCompletion(model, text), reply))
      : json(res, 200, withLogprobs(ollamaLine(model, text, true), reply));
  }

  res.writeHead(200, {
    "content-type": flavour === "groq" ? "text/event-stream" : "application/x-ndjson",
    "cache-control": "no-cache",
  });
  const write = (payload: unknown) =>
    res.write(flavour === "groq" ? `data: ${JSON.stringify(payload)}\n\n` : `${JSON.stringify(payload)}\n`);
  const delta = (text: string, first = false) =>
    withLogprobs(
      flavour === "groq"
        ? groqChunk(model, { ...(first ? { role: "assistant" } : {}), content: text })
        : ollamaLine(model, text, false),
      [text],
    );
  const gap = scenario === "crawl" ? 500 : scenario === "slow" ? 150 : scenario === "long-paced" ? 5 : 0;

  for (const [index, text] of reply.entries()) {
    if (res.destroyed) return;
    write(delta(text, index === 0));
    onChunk?.(model, text);
    if (scenario === "hang-after-first") return;
    if (scenario === "error-midstream" && index === 1) {
      write(
        flavour === "groq"
          ? { error: { message: "stream broke", type: "server_error" } }
          : { error: "stream broke" },
      );
      return void res.end();
    }
    if (gap) await sleep(gap);
  }
  if (flavour === "groq") {
    write({
      ...groqChunk(model, {}, "stop"),
      x_groq: { id: "req_01fake", usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 } },
    });
    res.write("data: [DONE]\n\n");
  } else {
    write(ollamaLine(model, "", true));
  }
  res.end();
}

/** Tool calls as the provider sends them, JSON or streamed. */
function answerToolCalls(
  res: ServerResponse,
  flavour: "groq" | "ollama",
  stream: boolean,
  model: string,
  calls: Array<{ name: string; args: Record<string, unknown> }>,
): void {
  if (flavour === "ollama") {
    const message = {
      role: "assistant",
      content: "",
      tool_calls: calls.map((call, index) => ({
        function: { index, name: call.name, arguments: call.args },
      })),
    };
    const final = { ...ollamaLine(model, "", true), message: { role: "assistant", content: "" } };
    if (!stream) {
      json(res, 200, { ...final, message });
      return;
    }
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    res.write(`${JSON.stringify({ ...ollamaLine(model, "", false), message })}\n`);
    res.write(`${JSON.stringify(final)}\n`);
    res.end();
    return;
  }
  const wireCalls = calls.map((call, index) => ({
    id: `call_fake_${index}`,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.args) },
  }));
  if (!stream) {
    const completion = groqCompletion(model, "");
    json(res, 200, {
      ...completion,
      choices: [
        {
          index: 0,
          finish_reason: "tool_calls",
          logprobs: null,
          message: { role: "assistant", content: null, tool_calls: wireCalls },
        },
      ],
    });
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const write = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
  write(groqChunk(model, { role: "assistant", content: null }));
  for (const [index, call] of wireCalls.entries()) {
    const { name, arguments: args } = call.function;
    write(
      groqChunk(model, {
        tool_calls: [{ index, id: call.id, type: "function", function: { name, arguments: "" } }],
      }),
    );
    // Arguments in fragments of a few characters, as OpenAI streams them.
    for (const fragment of args.match(/.{1,4}/g) ?? []) {
      write(groqChunk(model, { tool_calls: [{ index, function: { arguments: fragment } }] }));
    }
  }
  write({
    ...groqChunk(model, {}, "tool_calls"),
    x_groq: { id: "req_01fake", usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 } },
  });
  res.write("data: [DONE]\n\n");
  res.end();
}

/**
 * A server that accepts the request and then goes quiet: the status and headers are flushed (and, on
 * a Groq stream, the chunk carrying only `role`, as OpenAI-style servers send first), but no content.
 */
function headersThenHang(
  res: ServerResponse,
  flavour: "groq" | "ollama",
  stream: boolean,
  model: string,
): void {
  const type = !stream
    ? "application/json"
    : flavour === "groq"
      ? "text/event-stream"
      : "application/x-ndjson";
  res.writeHead(200, { "content-type": type, "cache-control": "no-cache" });
  res.flushHeaders();
  if (stream && flavour === "groq")
    res.write(`data: ${JSON.stringify(groqChunk(model, { role: "assistant", content: "" }))}\n\n`);
}

function groqCompletion(model: string, text: string) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1716131679,
    model,
    system_fingerprint: "fp_fake",
    choices: [
      { index: 0, finish_reason: "stop", logprobs: null, message: { role: "assistant", content: text } },
    ],
    usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18, queue_time: 0.01, total_time: 0.02 },
    x_groq: { id: "req_01fake" },
  };
}

function groqChunk(model: string, delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: 1716131679,
    model,
    system_fingerprint: "fp_fake",
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

function ollamaLine(model: string, content: string, done: boolean) {
  return {
    model,
    created_at: "2026-11-26T10:00:00Z",
    message: { role: "assistant", content: done && content === "" ? "" : content },
    done,
    ...(done
      ? {
          done_reason: "stop",
          total_duration: 4883583458,
          load_duration: 1334875,
          prompt_eval_count: 12,
          prompt_eval_duration: 342546000,
          eval_count: 6,
          eval_duration: 4535599000,
        }
      : {}),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
