import { type Context, Hono } from "hono";
import * as z from "zod";
import { memoryOwner } from "../chat/memory";
import { ApiError } from "../lib/errors";
import { newConversationId } from "../lib/ids";
import { lazy } from "../lib/lazy";
import { PartUnavailableError } from "../lib/unavailable";
import type { Memory } from "../memory";
import { recordAudit } from "../middleware/audit";
import { defineRoute } from "../openapi/contract";
import { register } from "../openapi/register";
import { TurnSchema } from "../schemas/chat";
import { IdSchema } from "../schemas/common";
import { deleteConversation, eraseKey } from "../security/erasure";
import { ownerOf } from "../security/ownership";
import type { Services } from "../services";
import type { AppEnv } from "../types";
import { recordCallUsage } from "../usage/chat-hooks";

const ConversationSearchSchema = lazy(() =>
  z
    .object({
      id: IdSchema(),
      query: z.string(),
      results: z.array(
        z.object({
          messageId: z.string(),
          similarity: z
            .number()
            .min(-1)
            .max(1)
            .meta({ description: "Cosine similarity to the query, 1 = same" }),
          turns: z.array(TurnSchema()),
          createdAt: z.string(),
        }),
      ),
    })
    .meta({ id: "ConversationSearch" }),
);

const ConversationDeletedSchema = lazy(() =>
  z
    .object({ id: IdSchema(), deleted: z.literal(true), messages: z.number().int().nonnegative() })
    .meta({ id: "ConversationDeleted" }),
);

const ConversationIssuedSchema = lazy(() =>
  z
    .object({ id: IdSchema().meta({ examples: ["conv_8f2c1a9e-4b7d-4c1e-9a3f-2d6b8e0c5a71"] }) })
    .meta({ id: "ConversationIssued" }),
);

const KeyErasedSchema = lazy(() =>
  z
    .object({
      keyName: z.string(),
      conversations: z
        .number()
        .int()
        .nonnegative()
        .meta({ description: "Conversations erased by this call" }),
      messages: z.number().int().nonnegative(),
      remaining: z.boolean().meta({ description: "True when more is left: call again until false" }),
    })
    .meta({ id: "KeyErased" }),
);

export const conversationSearchContract = defineRoute({
  method: "get",
  path: "/conversations/{id}/search",
  tags: ["memory"],
  summary: "The exchanges of a conversation most similar to a query, with their similarity",
  description:
    "Needs conversation memory (docs/MEMORY.md). Only the caller's own conversations are searched: " +
    "another key's id, or one that does not exist, is the same 404.",
  auth: "key",
  rateLimit: "search",
  spends: "embedding",
  request: {
    params: lazy(() => z.object({ id: IdSchema() })),
    query: lazy(() =>
      z.object({
        q: z.string().min(1).max(2_000),
        k: z.coerce.number().int().min(1).max(20).default(5),
      }),
    ),
  },
  responses: { 200: { description: "Most similar first", schema: ConversationSearchSchema } },
  errors: [404, 503],
});

export const conversationIssueContract = defineRoute({
  method: "post",
  path: "/conversations",
  tags: ["memory"],
  summary: "A new conversation id, bound to the caller's key",
  description:
    "With auth on, conversation ids are issued by the server (here, or by a chat that names none) " +
    'and only the key they were issued to may use them (docs/SECURITY.md, "Ownership"). Ask for one ' +
    "to watch a conversation's room before its first chat.",
  auth: "key",
  rateLimit: "write",
  responses: { 200: { description: "The id, bound to the caller", schema: ConversationIssuedSchema } },
  errors: [503],
});

export const conversationDeleteContract = defineRoute({
  method: "delete",
  path: "/conversations/{id}",
  tags: ["memory"],
  summary: "Delete a conversation: its history, messages, metrics, room replay and vectors (its owner only)",
  description:
    "Works with or without conversation memory, for `/chat` and `/v1` conversations alike. Idempotent: " +
    "a repeat (or a retry after a 503) by the same key answers 200 again while the deletion is recent. " +
    "Another key's conversation, or an id that does not exist, is the same 404.",
  auth: "key",
  rateLimit: "write",
  request: { params: lazy(() => z.object({ id: IdSchema() })) },
  responses: { 200: { description: "Deleted", schema: ConversationDeletedSchema } },
  errors: [404, 503],
});

export const keyEraseContract = defineRoute({
  method: "delete",
  path: "/keys/{name}/data",
  tags: ["operations"],
  summary: "Erase everything one API key name stored (admin key only), a batch per call",
  description:
    "Conversations, messages, metrics, vectors, owner records and room replays of the key name, " +
    "e.g. when a customer leaves. Each call erases a bounded batch; repeat while `remaining` is true. " +
    "Every call is written to the audit trail.",
  auth: "admin",
  rateLimit: "write",
  request: { params: lazy(() => z.object({ name: z.string().min(1).max(128) })) },
  responses: { 200: { description: "What this call erased", schema: KeyErasedSchema } },
  errors: [503],
});

/** Memory, or a 503 saying the route needs it; a store or embedder outage becomes a 503 too. */
async function withMemory<T>(services: Services, run: (memory: Memory) => Promise<T>): Promise<T> {
  if (!services.memory)
    throw new ApiError(503, "service_unavailable", "Conversation memory is not configured on this server");
  try {
    return await run(services.memory);
  } catch (error) {
    if (error instanceof PartUnavailableError)
      throw new ApiError(
        503,
        "service_unavailable",
        "Conversation memory is unavailable right now; try again shortly",
      );
    throw error;
  }
}

/** The 503 a route answers when the cache (the owner records) cannot be reached. */
function cacheUnavailable(): never {
  throw new ApiError(503, "service_unavailable", "The cache is unavailable right now; try again shortly");
}

/** With auth on, a 404 unless the conversation's owner record names the caller (see docs/SECURITY.md). */
async function mustOwn(c: Context<AppEnv>, id: string): Promise<void> {
  const owner = ownerOf(c);
  if (owner === undefined) return;
  const { owned } = await c
    .get("services")
    .store.readOwnedConversation(id, owner, false)
    .catch(cacheUnavailable);
  if (!owned) throw new ApiError(404, "not_found", `No conversation with id ${id} for this API key`);
}

/**
 * `GET /conversations/:id/search?q=&k=`, `POST /conversations`, `DELETE /conversations/:id` and the
 * admin's `DELETE /keys/:name/data`.
 */
export const conversationRoutes = register(
  register(
    register(
      register(new Hono<AppEnv>(), conversationSearchContract, async (c) => {
        const { id } = c.req.valid("param");
        const { q, k } = c.req.valid("query");
        await mustOwn(c, id);
        const owner = memoryOwner(c);
        const services = c.get("services");
        const startedAt = Date.now();
        const matches = await withMemory(services, (memory) =>
          memory.search({ owner, conversationId: id, text: q, k }),
        );
        if (services.embedder) {
          recordCallUsage(services, (work) => c.executionCtx.waitUntil(work), {
            served: services.embedder,
            id: c.get("requestId"),
            owner: ownerOf(c),
            promptChars: q.length,
            humanLikenessScore: null,
            startedAt,
          });
        }
        return c.json({ id, query: q, results: matches }, 200);
      }),
      conversationIssueContract,
      async (c) => {
        const id = newConversationId();
        const owner = ownerOf(c);
        if (owner !== undefined)
          await c.get("services").store.issueConversation(id, owner).catch(cacheUnavailable);
        return c.json({ id }, 200);
      },
    ),
    conversationDeleteContract,
    async (c) => {
      const { id } = c.req.valid("param");
      const { found, messages } = await deleteConversation(c.get("services"), id, ownerOf(c));
      if (!found) throw new ApiError(404, "not_found", `No conversation with id ${id} for this API key`);
      return c.json({ id, deleted: true as const, messages }, 200);
    },
  ),
  keyEraseContract,
  async (c) => {
    const { name } = c.req.valid("param");
    const erased = await eraseKey(c.get("services"), name);
    recordAudit(c, { type: "key_erased", target: name });
    return c.json({ keyName: name, ...erased }, 200);
  },
);
