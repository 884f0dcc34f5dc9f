import { Hono } from "hono";
import { type ChatWire, runChat } from "../chat/pipeline";
import { ModelNotFoundError } from "../lib/errors";
import { inputChars } from "../middleware/budget";
import { openAIChunks } from "../openai/chunks";
import {
  embedForOpenAI,
  OpenAIEmbeddingListSchema,
  OpenAIEmbeddingRequestSchema,
} from "../openai/embeddings";
import { invalidParam, type ModelRoute, routeModel, toChatCompletion, toChatRequest } from "../openai/map";
import {
  type OpenAIChatCompletion,
  OpenAIChatCompletionSchema,
  OpenAIChatHeadersSchema,
  OpenAIChatRequestSchema,
  OpenAIErrorSchema,
  type OpenAIModel,
  type OpenAIModelList,
  OpenAIModelListSchema,
  OpenAIModelParamsSchema,
  OpenAIModelSchema,
} from "../openai/schemas";
import { defineRoute } from "../openapi/contract";
import { register } from "../openapi/register";
import type { ModelCatalog, ProviderListing } from "../providers/models";
import { ownerOf } from "../security/ownership";
import type { Services } from "../services";
import type { AppEnv } from "../types";
import { recordCallUsage } from "../usage/chat-hooks";
import { CHAT_BODY_LIMIT } from "./chat";

export const openAIChatContract = defineRoute({
  method: "post",
  path: "/v1/chat/completions",
  tags: ["openai"],
  summary: "OpenAI-compatible chat completion, with the reply's human-likeness metrics",
  description:
    "Drop-in for OpenAI's Chat Completions, tools included: point an OpenAI SDK's base URL at `/v1`. " +
    "The metrics come under `neon_nexus`; streamed, only when asked for (`stream_options.include_metrics` " +
    "or `X-Include-Metrics: true`), in chunks with empty `choices` (partial scores while it streams, the " +
    "final metrics after the finish chunk), then the usage chunk when `stream_options.include_usage`, then " +
    "`data: [DONE]`. Errors come in OpenAI's shape with `/chat`'s statuses and OpenAI's codes where it has " +
    "one; `param` names the field or header at fault.",
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

export const openAIEmbeddingsContract = defineRoute({
  method: "post",
  path: "/v1/embeddings",
  tags: ["openai"],
  summary: "OpenAI-compatible embeddings, by the configured embedder (Ollama, OpenAI-compatible, Workers AI)",
  auth: "key",
  // An embedding call, as a conversation search makes: the same rate budget; its tokens count against the key's spend.
  rateLimit: "search",
  spends: "embedding",
  bodyLimit: CHAT_BODY_LIMIT,
  request: { body: OpenAIEmbeddingRequestSchema },
  responses: {
    200: { description: "One vector per input text, in order", schema: OpenAIEmbeddingListSchema },
  },
  errors: [404, 503],
  errorSchema: OpenAIErrorSchema,
});

export const openAIModelContract = defineRoute({
  method: "get",
  path: "/v1/models/{model}",
  tags: ["openai"],
  summary: "One model of `GET /v1/models`, by its id (URL-encoded, as OpenAI SDKs send it)",
  auth: "key",
  rateLimit: "status",
  request: { params: OpenAIModelParamsSchema },
  responses: { 200: { description: "The model", schema: OpenAIModelSchema } },
  errors: [404],
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
      includeMetrics: headers["x-include-metrics"] === "true",
      maxTokensCap: services.config.maxTokensCap,
    });
    const wire: ChatWire<OpenAIChatCompletion> = {
      events: (chat, provider, model) =>
        openAIChunks(
          { id: chat.messageId, provider, model, startedAt: chat.startedAt },
          { includeUsage: mapped.includeUsage, includeMetrics: mapped.includeMetrics },
        ),
      body: (answer, end, chat) => toChatCompletion(answer, end, chat.startedAt),
    };
    const prepare = { options: mapped.options, turns: mapped.turns, historyWithContext: true };
    return runChat(c, { request: mapped.request, stream: mapped.request.stream ?? false, prepare }, wire);
  },
  { onInvalid: invalidParam },
);

const models = register(
  chatCompletions,
  openAIModelsContract,
  async (c) => {
    const { data, errors } = await c.get("services").models.list();
    const list: OpenAIModelList = {
      object: "list",
      data: data.map(toOpenAIModel),
      neon_nexus: { unavailable: errors.map(({ provider, error }) => ({ provider, error })) },
    };
    return c.json(list, 200);
  },
  { onInvalid: invalidParam },
);

const model = register(
  models,
  openAIModelContract,
  async (c) => {
    const { model } = c.req.valid("param");
    const { data } = await c.get("services").models.list();
    const entry =
      data.find((listed) => `${listed.provider}/${listed.id}` === model) ??
      data.find((listed) => listed.id === model);
    if (!entry) throw new ModelNotFoundError(`model: "${model}" is not listed by any configured provider`);
    return c.json(toOpenAIModel(entry), 200);
  },
  { onInvalid: invalidParam },
);

/**
 * `POST /v1/chat/completions`, `POST /v1/embeddings`, `GET /v1/models` and `/v1/models/{model}`:
 * OpenAI's API over `/chat`'s services.
 */
export const openAIRoutes = register(
  model,
  openAIEmbeddingsContract,
  async (c) => {
    const services = c.get("services");
    const request = c.req.valid("json");
    const startedAt = Date.now();
    const list = await embedForOpenAI(services.embedder, request);
    if (services.embedder) {
      recordCallUsage(services, (work) => c.executionCtx.waitUntil(work), {
        served: services.embedder,
        id: c.get("requestId"),
        owner: ownerOf(c),
        promptChars: inputChars(request.input),
        humanLikenessScore: null,
        startedAt,
      });
    }
    return c.json(list, 200);
  },
  { onInvalid: invalidParam },
);

function toOpenAIModel(entry: { id: string; provider: string }): OpenAIModel {
  return { id: `${entry.provider}/${entry.id}`, object: "model", created: 0, owned_by: entry.provider };
}

/** Routes found lately, per model catalog and model id, with the provider listings they were read from. */
const recentRoutes = new WeakMap<
  ModelCatalog,
  Map<string, { listings: readonly ProviderListing[]; route: ModelRoute }>
>();
const MAX_RECENT_ROUTES = 256;

/**
 * The provider and model `model` names (see `routeModel`), from the providers' cached model lists;
 * remembered while those lists are the ones the catalog holds, so a chat does not search them again.
 */
async function routeFor(model: string, services: Services): Promise<ModelRoute> {
  const listings = await services.models.listings();
  let routes = recentRoutes.get(services.models);
  if (!routes) {
    routes = new Map();
    recentRoutes.set(services.models, routes);
  }
  const known = routes.get(model);
  if (known?.listings.every((listing, index) => listing === listings[index])) return known.route;
  const configured = services.providers.map((provider) => provider.name);
  const route = routeModel(model, configured, await services.models.list());
  if (routes.size >= MAX_RECENT_ROUTES) routes.clear();
  routes.set(model, { listings, route });
  return route;
}
