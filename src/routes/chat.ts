import { Hono } from "hono";
import { type ChatWire, runChat } from "../chat/pipeline";
import { chatEvents } from "../chat/stream";
import { defineRoute } from "../openapi/contract";
import { register } from "../openapi/register";
import { ChatRequestSchema, type ChatResponse, ChatResponseSchema } from "../schemas/chat";
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

/** `/chat`'s wire: its own SSE events, and the answer object as the JSON body. */
const chatWire: ChatWire<ChatResponse> = {
  events: (chat, provider) => chatEvents(chat, provider),
  body: (answer) => answer,
};

/** `POST /chat`: validate, then the chat pipeline (ask, score, answer; cache and room writes come after). */
export const chatRoutes = register(new Hono<AppEnv>(), chatContract, async (c) => {
  const request = c.req.valid("json");
  const stream = request.stream ?? (c.req.header("accept") ?? "").includes("text/event-stream");
  return runChat(c, { request, stream }, chatWire);
});
