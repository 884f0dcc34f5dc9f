import { Hono } from "hono";
import { askProviders } from "../chat/ask";
import { finishChat } from "../chat/finish";
import { prepareChat } from "../chat/prepare";
import { streamChat } from "../chat/stream";
import { openAIChunks } from "../openai/chunks";
import {
  invalidParam,
  type ModelRoute,
  routeByListing,
  routeByPrefix,
  toChatCompletion,
  toChatRequest,
} from "../openai/map";
import {
  OpenAIChatCompletionSchema,
  OpenAIChatHeadersSchema,
  OpenAIChatRequestSchema,
  OpenAIErrorSchema,
  type OpenAIModelList,
  OpenAIModelListSchema,
} from "../openai/schemas";
import { defineRoute } from "../openapi/contract";
import { register } from "../openapi/register";
import { ownerOf } from "../security/ownership";
import type { Services } from "../services";
import type { AppEnv } from "../types";
import { CHAT_BODY_LIMIT } from "./chat";

export const openAIChatContract = defineRoute({
  method: "post",
  path: "/v1/chat/completions",
  tags: ["openai"],
  summary: "OpenAI-compatible chat completion, with the reply's human-likeness metrics",
  description:
    "Drop-in for OpenAI's Chat Completions: point an OpenAI SDK's base URL at `/v1`. The metrics come " +
    "under `neon_nexus`; streamed, in a chunk with empty `choices` after the finish chunk (then the usage " +
    "chunk when `stream_options.include_usage`, then `data: [DONE]`). Errors come in OpenAI's shape " +
    "with the same statuses and codes as `/chat`; `param` names the field or header at fault.",
  auth: "key",
  rateLimit: "chat",
  spends: "chat",
  bodyLimit: CHAT_BODY_LIMIT,
  request: { body: OpenAIChatRequestSchema, headers: OpenAIChatHeadersSchema },
  responses: {
    200: {
      description: "A chat.completion (JSON), or chat.completion.chunk events ending in `data: [DONE]`",
      schema: OpenAIChatCompletionSchema,
      alsoAs: ["text/event-stream"],
    },
  },
  errors: [404, 422, 502, 503, 504],
  errorSchema: OpenAIErrorSchema,
});

export const openAIModelsContract = defineRoute({
  method: "get",
  path: "/v1/models",
  tags: ["openai"],
  summary: "Models of every configured provider, as `<provider>/<model>`, in OpenAI's list shape",
  auth: "key",
  rateLimit: "status",
  responses: { 200: { description: "The model list", schema: OpenAIModelListSchema } },
  errorSchema: OpenAIErrorSchema,
});

/**
 * `POST /v1/chat/completions`: map the OpenAI request to a chat, ask the providers, answer a
 * `chat.completion` or its chunks. The same chain, cache, rooms and analyzer as `/chat`.
 */
const chatCompletions = register(
  new Hono<AppEnv>(),
  openAIChatContract,
  async (c) => {
    const services = c.get("services");
    const body = c.req.valid("json");
    const headers = c.req.valid("header");
    const mapped = toChatRequest(body, {
      route: await routeFor(body.model, services),
      conversationId: headers["x-conversation-id"],
      metrics: headers["x-metrics"],
      maxTokensCap: services.config.maxTokensCap,
    });
    const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise);
    const chat = await prepareChat(mapped.request, services, ownerOf(c), {
      options: mapped.options,
      historyWithContext: true,
    });
    const stream = mapped.request.stream ?? false;
    const answer = await askProviders(chat, services, { stream, signal: c.req.raw.signal, waitUntil });
    c.set("facts", {
      ...c.get("facts"),
      provider: answer.provider,
      failures: answer.failures.map((failure) => failure.kind),
      providerMs: Date.now() - chat.startedAt,
    });
    if (answer.kind === "stream") {
      const provider = chat.providers.find((candidate) => candidate.name === answer.provider);
      const model = chat.completion.model ?? provider?.defaultModel ?? "default";
      const format = openAIChunks(
        { id: chat.messageId, provider: answer.provider, model, startedAt: chat.startedAt },
        { includeUsage: mapped.includeUsage },
      );
      return streamChat(c, chat, answer.stream, services, waitUntil, format);
    }
    const { reply } = answer;
    c.set("facts", { ...c.get("facts"), model: reply.model, tokens: reply.usage?.totalTokens });
    const finished = await finishChat(chat, reply, services, waitUntil);
    return c.json(toChatCompletion(finished, reply.finishReason, chat.startedAt), 200);
  },
  { onInvalid: invalidParam },
);

/** `POST /v1/chat/completions` and `GET /v1/models`: OpenAI's API over the same services as `/chat`. */
export const openAIRoutes = register(chatCompletions, openAIModelsContract, async (c) => {
  const { data } = await c.get("services").models.list();
  const list: OpenAIModelList = {
    object: "list",
    data: data.map((entry) => ({
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
  return routeByListing(model, (await services.models.list()).data) ?? {};
}
