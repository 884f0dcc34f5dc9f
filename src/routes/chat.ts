import { Hono } from "hono";
import { announce, finishChat } from "../chat/finish";
import { prepareChat } from "../chat/prepare";
import { type OpenedStream, streamChat } from "../chat/stream";
import { jsonBody } from "../middleware/json-body";
import { defineRoute, errorResponses } from "../openapi/contract";
import { validate } from "../openapi/validate";
import { runChain } from "../providers/chain";
import { linkedController } from "../providers/http";
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
    "`start`, then a `delta` per chunk, then `done` carrying the same object as the JSON answer (or `error`).",
  auth: "key",
  request: { body: ChatRequestSchema },
  responses: {
    200: {
      description: "The reply (JSON), or an SSE stream ending in the same object",
      schema: ChatResponseSchema,
      alsoAs: ["text/event-stream"],
    },
    ...errorResponses(400, 401, 404, 413, 415, 422, 429, 502, 503, 504),
  },
});

/** `POST /chat`: validate, ask the provider chain, score, answer; cache and room writes come after. */
export const chatRoutes = new Hono<AppEnv>().post(
  "/chat",
  jsonBody({ maxBytes: CHAT_BODY_LIMIT }),
  validate("json", ChatRequestSchema),
  async (c) => {
    const services = c.get("services");
    const request = c.req.valid("json");
    const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise);
    const chat = await prepareChat(request, services, ownerOf(c));
    announce(chat, services, "generating", waitUntil);
    const chainOptions = {
      maxRetries: services.config.retry.maxRetries,
      totalMs: services.config.timeouts.totalMs,
      modelPinned: request.model !== undefined,
    };
    const wantsStream = request.stream ?? (c.req.header("accept") ?? "").includes("text/event-stream");

    if (wantsStream) {
      const cancel = linkedController(c.req.raw.signal);
      const opened = await runChain(
        chat.providers,
        async (provider, signal): Promise<OpenedStream> => {
          const iterator = provider.stream(chat.completion, signal)[Symbol.asyncIterator]();
          return { iterator, first: await iterator.next() };
        },
        chainOptions,
        cancel.signal,
      ).catch((error: unknown) => {
        announce(chat, services, "error", waitUntil);
        throw error;
      });
      c.set("facts", { ...c.get("facts"), provider: opened.provider.name });
      return streamChat(
        c,
        chat,
        {
          ...opened.value,
          provider: opened.provider.name,
          signal: opened.signal,
          cancel: () => cancel.abort(),
          release: opened.release,
        },
        services,
        waitUntil,
      );
    }

    const result = await runChain(
      chat.providers,
      (provider, signal) => provider.complete(chat.completion, signal),
      chainOptions,
      c.req.raw.signal,
    ).catch((error: unknown) => {
      announce(chat, services, "error", waitUntil);
      throw error;
    });
    result.release();
    const reply = {
      ...result.value,
      provider: result.provider.name,
      providerMs: Date.now() - chat.startedAt,
    };
    c.set("facts", {
      ...c.get("facts"),
      provider: reply.provider,
      model: reply.model,
      tokens: reply.usage?.totalTokens,
      failures: result.failures.map((failure) => failure.kind),
    });
    return c.json(await finishChat(chat, reply, services, waitUntil), 200);
  },
);
