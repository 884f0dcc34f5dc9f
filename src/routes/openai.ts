import { Hono } from "hono";
import { validator } from "hono/validator";
import { announce, finishChat } from "../chat/finish";
import { prepareChat } from "../chat/prepare";
import { type OpenedStream, streamChat } from "../chat/stream";
import { jsonBody } from "../middleware/json-body";
import { openAIChunks } from "../openai/chunks";
import {
  InvalidParamError,
  type ModelRoute,
  parseChatRequest,
  routeByListing,
  routeByPrefix,
  toChatCompletion,
  toChatRequest,
} from "../openai/map";
import {
  ConversationHeaderSchema,
  MetricsHeaderSchema,
  OpenAIChatCompletionSchema,
  OpenAIChatRequestSchema,
  OpenAIErrorSchema,
  type OpenAIModelList,
  OpenAIModelListSchema,
} from "../openai/schemas";
import { defineRoute, type ResponseContract } from "../openapi/contract";
import { runChain } from "../providers/chain";
import { linkedController } from "../providers/http";
import type { Services } from "../services";
import type { AppEnv } from "../types";
import { CHAT_BODY_LIMIT } from "./chat";
import { modelListing } from "./models";

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid JSON or fields (`param` names the field); n ≠ 1; a format or tools the provider lacks",
  401: "Missing or wrong API key",
  413: "Body too large",
  415: "Body is not JSON",
  429: "Rate limited (here or at every provider); see Retry-After",
  502: "Every provider answered badly",
  503: "No provider available",
  504: "The provider did not answer in time",
};

/** Error responses in OpenAI's shape, for the `/v1` routes. */
function openAIErrors(...statuses: number[]): Record<number, ResponseContract> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: ERROR_DESCRIPTIONS[status] ?? "Error", schema: OpenAIErrorSchema },
    ]),
  );
}

export const openAIChatContract = defineRoute({
  method: "post",
  path: "/v1/chat/completions",
  tags: ["openai"],
  summary: "OpenAI-compatible chat completion, with the reply's human-likeness metrics",
  description:
    "Drop-in for OpenAI's Chat Completions: point an OpenAI SDK's base URL at `/v1`. The metrics come " +
    "under `neon_nexus`; streamed, in a chunk with empty `choices` after the finish chunk (then the usage " +
    "chunk when `stream_options.include_usage`, then `data: [DONE]`). Headers: `X-Conversation-Id` " +
    "continues a conversation kept on the server (else the request stands alone); `X-Metrics: " +
    "sync|async|off` (default sync). Errors come in OpenAI's shape with the same statuses as `/chat`.",
  auth: "key",
  request: { body: OpenAIChatRequestSchema },
  responses: {
    200: {
      description: "A chat.completion (JSON), or chat.completion.chunk events ending in `data: [DONE]`",
      schema: OpenAIChatCompletionSchema,
      alsoAs: ["text/event-stream"],
    },
    ...openAIErrors(400, 401, 413, 415, 429, 502, 503, 504),
  },
});

export const openAIModelsContract = defineRoute({
  method: "get",
  path: "/v1/models",
  tags: ["openai"],
  summary: "Models of every configured provider, as `<provider>/<model>`, in OpenAI's list shape",
  auth: "key",
  responses: {
    200: { description: "The model list", schema: OpenAIModelListSchema },
    ...openAIErrors(401, 429),
  },
});

/** `POST /v1/chat/completions` and `GET /v1/models`: OpenAI's API over the same chain, cache and analyzer. */
export const openAIRoutes = new Hono<AppEnv>()
  .post(
    "/v1/chat/completions",
    jsonBody({ maxBytes: CHAT_BODY_LIMIT }),
    validator("json", (value) => parseChatRequest(value)),
    async (c) => {
      const services = c.get("services");
      const body = c.req.valid("json");
      const mapped = toChatRequest(body, {
        route: await routeFor(body.model, services),
        conversationId: header(
          c.req.header("x-conversation-id"),
          "X-Conversation-Id",
          ConversationHeaderSchema,
        ),
        metrics: header(c.req.header("x-metrics"), "X-Metrics", MetricsHeaderSchema),
        maxTokensCap: services.config.maxTokensCap,
      });
      const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise);
      const chat = await prepareChat(mapped.request, services, {
        options: mapped.options,
        historyWithContext: true,
      });
      announce(chat, services, "generating", waitUntil);
      const chainOptions = {
        maxRetries: services.config.retry.maxRetries,
        totalMs: services.config.timeouts.totalMs,
      };

      if (mapped.request.stream) {
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
        const format = openAIChunks(
          {
            id: chat.messageId,
            provider: opened.provider.name,
            model: chat.completion.model ?? opened.provider.defaultModel,
            startedAt: chat.startedAt,
          },
          { includeUsage: mapped.includeUsage },
        );
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
          format,
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
      const answer = await finishChat(chat, reply, services, waitUntil);
      return c.json(toChatCompletion(answer, reply.finishReason, chat.startedAt), 200);
    },
  )
  .get("/v1/models", async (c) => {
    const listing = await modelListing(c.get("services"));
    const list: OpenAIModelList = {
      object: "list",
      data: listing.data.map((entry) => ({
        id: `${entry.provider}/${entry.id}`,
        object: "model",
        created: 0,
        owned_by: entry.provider,
      })),
    };
    return c.json(list, 200);
  });

/** `<provider>/<model>` first; a bare id goes to the provider listing it; anything else to the default chain. */
async function routeFor(model: string, services: Services): Promise<ModelRoute> {
  const configured = services.providers.map((provider) => provider.name);
  const byPrefix = routeByPrefix(model, configured);
  if (byPrefix) return byPrefix;
  return routeByListing(model, (await modelListing(services)).data) ?? {};
}

function header<T>(
  value: string | undefined,
  name: string,
  schema: {
    safeParse(
      value: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } };
  },
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidParamError(name, `${name}: ${result.error.issues[0]?.message ?? "invalid"}`);
}
