import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { listenOnLoopback } from "../test/helpers/processes.ts";
import { killOnExit } from "./lib/children.ts";

/** How the fake upstream answers: instantly by default, with a reply of `replyWords` words. */
export interface FakeUpstreamOptions {
  /** Delay before the response headers, in ms; a request whose model ends in `latency=<ms>` picks its own. */
  latencyMs?: number;
  /** Number of content chunks in a streamed answer. */
  chunks?: number;
  /** Delay between streamed chunks, in ms; a request whose model ends in `spacing=<ms>` picks its own. */
  chunkSpacingMs?: number;
  /** Length of the reply text, in words. */
  replyWords?: number;
}

export interface FakeUpstream {
  url: string;
  /** Base URL for Groq's OpenAI-compatible API (`GROQ_BASE_URL`). */
  groqBaseUrl: string;
  close(): Promise<void>;
}

const PROSE =
  "The quiet harbour town wakes slowly in winter, when fishing boats stay tied to the pier and the bakery " +
  "on the corner opens an hour later than it does in summer. Most people walk rather than drive, because " +
  "the streets are narrow and steep, and because a short walk gives them a reason to stop and talk. " +
  "Children count the gulls on the harbour wall while their parents argue kindly about the weather, the " +
  "price of bread and whether the new library will ever open. Nobody seems in a hurry, yet everything " +
  "gets done: nets are mended, letters are delivered, and the ferry leaves on time every morning.";

/** A reply of exactly `words` words of plain English prose. */
export function replyText(words: number): string {
  const source = PROSE.split(" ");
  return Array.from({ length: words }, (_, index) => source[index % source.length]).join(" ");
}

/**
 * Starts an OpenAI-compatible upstream (Groq's paths: `POST /openai/v1/chat/completions`, JSON and SSE
 * ending in an `x_groq.usage` chunk and `data: [DONE]`) on 127.0.0.1 at a free port.
 *
 * @example
 * const upstream = await startFakeUpstream({ replyWords: 150, chunks: 20 });
 * // GROQ_BASE_URL = upstream.groqBaseUrl
 * await upstream.close();
 */
export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const { latencyMs = 0, chunks = 10, chunkSpacingMs = 0, replyWords = 30 } = options;
  const text = replyText(replyWords);
  const usage = { prompt_tokens: 12, completion_tokens: Math.ceil(replyWords * 1.3), total_tokens: 0 };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  const jsonBody = JSON.stringify(completion(text, usage));
  const sseEvents = streamEvents(text, chunks, usage);

  const server = createServer(async (req, res) => {
    if (req.method === "GET" && req.url === "/openai/v1/models") {
      return send(res, 200, JSON.stringify({ object: "list", data: [{ id: MODEL, object: "model" }] }));
    }
    if (req.method !== "POST" || req.url !== "/openai/v1/chat/completions") {
      return send(res, 404, JSON.stringify({ error: { message: "not found" } }));
    }
    const body = await readBody(req);
    const wantsStream = body.includes('"stream":true');
    const spacing = Number(/"model":"[^"]*spacing=(\d+)/.exec(body)?.[1] ?? chunkSpacingMs);
    const latency = Number(/"model":"[^"]*latency=(\d+)/.exec(body)?.[1] ?? latencyMs);
    if (latency > 0) await sleep(latency);
    if (!wantsStream) return send(res, 200, jsonBody);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    for (const [index, event] of sseEvents.entries()) {
      if (res.destroyed) return;
      res.write(event);
      if (spacing > 0 && index < sseEvents.length - 1) await sleep(spacing);
    }
    res.end();
  });
  server.keepAliveTimeout = 60_000;

  const { url, close } = await listenOnLoopback(server);
  return { url, groqBaseUrl: `${url}/openai/v1`, close };
}

const MODEL = "openai/gpt-oss-20b";

interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

function completion(text: string, usage: WireUsage) {
  return {
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: 1716131679,
    model: MODEL,
    choices: [
      { index: 0, finish_reason: "stop", logprobs: null, message: { role: "assistant", content: text } },
    ],
    usage,
    x_groq: { id: "req_bench" },
  };
}

/** The SSE events of a streamed answer: `chunks` content deltas, a usage chunk, `[DONE]`. */
function streamEvents(text: string, chunks: number, usage: WireUsage): string[] {
  const words = text.split(" ");
  const perChunk = Math.ceil(words.length / Math.max(1, chunks));
  const deltas: string[] = [];
  for (let start = 0; start < words.length; start += perChunk) {
    const piece = words.slice(start, start + perChunk).join(" ");
    deltas.push(start === 0 ? piece : ` ${piece}`);
  }
  const chunk = (delta: Record<string, string>, finishReason: string | null, extra: object = {}) =>
    `data: ${JSON.stringify({
      id: "chatcmpl-bench",
      object: "chat.completion.chunk",
      created: 1716131679,
      model: MODEL,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
      ...extra,
    })}\n\n`;
  return [
    ...deltas.map((content, index) =>
      chunk(index === 0 ? { role: "assistant", content } : { content }, null),
    ),
    chunk({}, "stop", { x_groq: { id: "req_bench", usage } }),
    "data: [DONE]\n\n",
  ];
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      data += chunk;
    });
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

/**
 * Runs the fake upstream in a child process, so that the load generator and the upstream do not
 * share one event loop.
 */
export async function spawnFakeUpstream(
  options: FakeUpstreamOptions = {},
): Promise<FakeUpstream & { pid: number }> {
  const { latencyMs = 0, chunks = 10, chunkSpacingMs = 0, replyWords = 30 } = options;
  const args = [
    "--latency",
    latencyMs,
    "--chunks",
    chunks,
    "--spacing",
    chunkSpacingMs,
    "--words",
    replyWords,
  ].map(String);
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  killOnExit(child);
  const exited = once(child, "exit");
  let output = "";
  const groqBaseUrl = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /GROQ_BASE_URL=(\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`fake upstream exited with ${code}`)));
  });
  return {
    url: groqBaseUrl.replace(/\/openai\/v1$/, ""),
    groqBaseUrl,
    pid: child.pid as number,
    close: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      latency: { type: "string", default: "0" },
      chunks: { type: "string", default: "10" },
      spacing: { type: "string", default: "0" },
      words: { type: "string", default: "30" },
    },
  });
  const upstream = await startFakeUpstream({
    latencyMs: Number(values.latency),
    chunks: Number(values.chunks),
    chunkSpacingMs: Number(values.spacing),
    replyWords: Number(values.words),
  });
  console.log(`fake upstream: GROQ_BASE_URL=${upstream.groqBaseUrl} (Ctrl-C to stop)`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void upstream.close().then(() => process.exit(0)));
  }
}
