import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Target } from "../lib/load.ts";
import { portkeyTarget } from "../lib/targets.ts";
import { type BuiltWorker, type ServedWorker, type ServeOptions, serveWorker } from "../lib/workerd.ts";
import { buildPortkey } from "./build.ts";

export const PORTKEY = "Portkey gateway /v1/chat/completions";

/** Portkey's gateway under `workerd serve`, checked to answer the fake upstream's reply. */
export interface ServedPortkey {
  worker: ServedWorker;
  built: BuiltWorker;
  stop(): Promise<void>;
}

/**
 * Builds and serves Portkey's gateway, then sends it one plain and one streamed chat completion
 * routed to `upstreamBaseUrl` and throws unless both carry exactly `replyText`: a benchmark of a
 * gateway that answers errors (or something else) would measure nothing. `serve` adds V8 flags
 * and a reader of their output (for GC traces).
 */
export async function startPortkey(
  upstreamBaseUrl: string,
  replyText: string,
  serve: Pick<ServeOptions, "v8Flags" | "onStdout"> = {},
): Promise<ServedPortkey> {
  const workdir = await mkdtemp(join(tmpdir(), "neon-nexus-bench-portkey-"));
  const cleanUp = () => rm(workdir, { recursive: true, force: true });
  let worker: ServedWorker | undefined;
  try {
    const built = await buildPortkey(workdir);
    worker = await serveWorker(built, { ...serve, vars: {}, healthPath: "/" });
    const served = worker;
    await checkAnswer(portkeyTarget(PORTKEY, served.url, upstreamBaseUrl), replyText);
    await checkAnswer(portkeyTarget(PORTKEY, served.url, upstreamBaseUrl, { stream: true }), replyText);
    return {
      worker: served,
      built,
      stop: async () => {
        await served.stop();
        await cleanUp();
      },
    };
  } catch (error) {
    await worker?.stop();
    await cleanUp();
    throw error;
  }
}

/** Sends `target`'s chat completion once and throws unless its reply text is `expected`. */
export async function checkAnswer(target: Target, expected: string): Promise<void> {
  const response = await fetch(`${target.url}${target.path}`, {
    method: target.method,
    headers: { "content-type": "application/json", ...target.headers },
    body: target.body,
  });
  const body = await response.text();
  const streamed = target.body?.includes('"stream":true') ?? false;
  const text = response.status === 200 ? (streamed ? streamedText(body) : plainText(body)) : undefined;
  if (text !== expected)
    throw new Error(
      `${target.name}${streamed ? " (streamed)" : ""} did not answer the upstream's reply: ` +
        `${response.status} ${body.slice(0, 400)}`,
    );
}

function plainText(body: string): string | undefined {
  try {
    const completion = JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] };
    const content = completion.choices?.[0]?.message?.content;
    return typeof content === "string" ? content : undefined;
  } catch {
    return undefined;
  }
}

/** The content deltas of an OpenAI event stream joined, if it ends with `data: [DONE]`. */
function streamedText(body: string): string | undefined {
  const data = body
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => line.slice("data: ".length).trim());
  if (data.at(-1) !== "[DONE]") return undefined;
  let text = "";
  for (const event of data.slice(0, -1)) {
    try {
      const chunk = JSON.parse(event) as { choices?: { delta?: { content?: unknown } }[] };
      const content = chunk.choices?.[0]?.delta?.content;
      if (typeof content === "string") text += content;
    } catch {
      return undefined;
    }
  }
  return text;
}
