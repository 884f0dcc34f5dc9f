import { Hono } from "hono";
import { askProviders } from "../chat/ask";
import { finishChat } from "../chat/finish";
import { consultMemory, memoryOwner, streamCachedAnswer } from "../chat/memory";
import { prepareChat } from "../chat/prepare";
import { streamChat } from "../chat/stream";
import { defineRoute } from "../openapi/contract";
import { register } from "../openapi/register";
import { ChatRequestSchema, ChatResponseSchema } from "../schemas/chat";
import { ownerOf } from "../security/ownership";
import type { AppEnv } from "../types";

export const CHAT_BODY_LIMIT = 512 * 1024;

export const chatContract = defineRoute({
  method: "post",
  path: "/chat",
  tags: ["chat"],
  summary: "Ask the model, get the reply and its human-likeness metrics",
  description:
    "JSON by default. With `stream: true` or `Accept: text/event-stream` the answer is Server-Sent Events: " +
    "`start`, then a `delta` per chunk, a `metrics` event `{messageId, words, partial: true, metrics}` (the " +
    "score of the reply so far) " +
    "every `PARTIAL_METRICS_EVERY_WORDS` words, then `done` carrying the same object as the JSON answer with " +
    "`partial: false` (or `error`).",
  auth: "key",
  rateLimit: "chat",
  spends: "chat",
  bodyLimit: CHAT_BODY_LIMIT,
  request: { body: ChatRequestSchema },
  responses: {
    200: {
      description: "The reply (JSON), or an SSE stream ending in the same object",
      schema: ChatResponseSchema,
      alsoAs: ["text/event-stream"],
    },
  },
  errors: [404, 422, 502, 503, 504],
});

/** `POST /chat`: validate, ask the provider chain, score, answer; cache and room writes come after. */
export const chatRoutes = register(new Hono<AppEnv>(), chatContract, async (c) => {
  const services = c.get("services");
  const request = c.req.valid("json");
  const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise);
  const chat = await prepareChat(request, services, ownerOf(c));
  const stream = request.stream ?? (c.req.header("accept") ?? "").includes("text/event-stream");
  const cached = await consultMemory(chat, services, memoryOwner(c), waitUntil);
  if (cached) {
    c.set("facts", { ...c.get("facts"), provider: cached.provider, model: cached.model });
    return stream ? streamCachedAnswer(c, cached) : c.json(cached, 200);
  }
  const answer = await askProviders(chat, services, { stream, signal: c.req.raw.signal, waitUntil });
  c.set("facts", {
    ...c.get("facts"),
    provider: answer.provider,
    failures: answer.failures.map((failure) => failure.kind),
    providerMs: Date.now() - chat.startedAt,
  });
  if (answer.kind === "stream") return streamChat(c, chat, answer.stream, services, waitUntil);
  const { reply } = answer;
  c.set("facts", { ...c.get("facts"), model: reply.model, tokens: reply.usage?.totalTokens });
  return c.json(await finishChat(chat, reply, services, waitUntil), 200);
});
