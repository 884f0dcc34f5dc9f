import type { Context } from "hono";
import { eventStream } from "../lib/event-stream";
import { callerOf } from "../middleware/caller";
import type { ProviderName } from "../providers";
import type { Completion } from "../providers/types";
import type { ChatRequest, ChatResponse } from "../schemas/chat";
import type { AppEnv } from "../types";
import { askProviders } from "./ask";
import { finishChat } from "./finish";
import { consultMemory } from "./memory";
import { type PreparedChat, type PrepareOptions, prepareChat } from "./prepare";
import { type StreamFormat, streamChat } from "./stream";

/** What one API family (`/chat`, `/v1`) adds to the pipeline: how its answers look on the wire. */
export interface ChatWire<Body> {
  /** Its streamed events for this chat, answered by `provider` with `model`. */
  events(chat: PreparedChat, provider: ProviderName, model: string): StreamFormat;
  /** Its JSON body for a complete answer. */
  body(
    answer: ChatResponse,
    end: Pick<Completion, "finishReason" | "systemFingerprint" | "logprobs">,
    chat: PreparedChat,
  ): Body;
}

/** A chat as the route mapped it from its wire format. */
export interface ChatRun {
  request: ChatRequest;
  /** Answer with Server-Sent Events. */
  stream: boolean;
  prepare?: PrepareOptions;
}

/**
 * The one chat pipeline every wire format runs: prepare (ids, ownership, history, providers) →
 * memory (a semantic-cache answer, or recalled exchanges) → ask the provider chain → stream or
 * finish (score) → deliver (cache, vectors and room, after the answer). The route keeps only its
 * mapping and its wire: `wire` writes the answer as its API family does.
 *
 * @example
 * return runChat(c, { request, stream }, { events: (chat, provider) => chatEvents(chat, provider), body: (answer) => answer });
 */
export async function runChat<Body>(c: Context<AppEnv>, run: ChatRun, wire: ChatWire<Body>) {
  const services = c.get("services");
  const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise);
  const { owner } = callerOf(c);
  const chat = await prepareChat(run.request, services, owner, run.prepare);
  const cached = await consultMemory(chat, services, owner ?? "", waitUntil);
  if (cached) {
    c.set("facts", { ...c.get("facts"), provider: cached.provider, model: cached.model });
    if (!run.stream) return c.json(wire.body(cached, { finishReason: "stop" }, chat), 200);
    return streamAnswer(c, wire.events(chat, cached.provider, cached.model), cached);
  }
  const answer = await askProviders(chat, services, {
    stream: run.stream,
    signal: c.req.raw.signal,
    waitUntil,
  });
  c.set("facts", {
    ...c.get("facts"),
    provider: answer.provider,
    failures: answer.failures.map((failure) => failure.kind),
    providerMs: Date.now() - chat.startedAt,
  });
  if (answer.kind === "stream") {
    const provider = chat.providers.find((candidate) => candidate.name === answer.provider);
    const model = chat.completion.model ?? provider?.defaultModel ?? "default";
    const format = wire.events(chat, answer.provider, model);
    return streamChat(c, chat, answer.stream, services, waitUntil, format);
  }
  const { reply } = answer;
  c.set("facts", { ...c.get("facts"), model: reply.model, tokens: reply.usage?.totalTokens });
  const finished = await finishChat(chat, reply, services, waitUntil);
  return c.json(wire.body(finished, reply, chat), 200);
}

/** A complete answer (from the semantic cache) as a stream: the start, the whole text as one delta, the close. */
function streamAnswer(c: Context<AppEnv>, format: StreamFormat, answer: ChatResponse): Response {
  return eventStream(c, async (sse) => {
    sse.write(format.start());
    sse.write(format.delta(answer.message));
    for (const event of format.done(answer, { finishReason: "stop" })) if (event !== "") sse.write(event);
  });
}
