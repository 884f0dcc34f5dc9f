import { Hono } from "hono";
import * as z from "zod";
import { memoryOwner } from "../chat/memory";
import { ApiError, errorName } from "../lib/errors";
import { PartUnavailableError } from "../lib/unavailable";
import type { Memory } from "../memory";
import { defineRoute } from "../openapi/contract";
import { register } from "../openapi/register";
import { TurnSchema } from "../schemas/chat";
import { IdSchema } from "../schemas/common";
import type { Services } from "../services";
import type { AppEnv } from "../types";

const ConversationSearchSchema = z
  .object({
    id: IdSchema,
    query: z.string(),
    results: z.array(
      z.object({
        messageId: z.string(),
        similarity: z
          .number()
          .min(-1)
          .max(1)
          .meta({ description: "Cosine similarity to the query, 1 = same" }),
        turns: z.array(TurnSchema),
        createdAt: z.string(),
      }),
    ),
  })
  .meta({ id: "ConversationSearch" });

const ConversationDeletedSchema = z
  .object({ id: IdSchema, deleted: z.literal(true), messages: z.number().int().nonnegative() })
  .meta({ id: "ConversationDeleted" });

export const conversationSearchContract = defineRoute({
  method: "get",
  path: "/conversations/{id}/search",
  tags: ["memory"],
  summary: "The exchanges of a conversation most similar to a query, with their similarity",
  description: "Needs conversation memory (docs/MEMORY.md). Only the caller's own exchanges are searched.",
  auth: "key",
  rateLimit: "search",
  request: {
    params: z.object({ id: IdSchema }),
    query: z.object({
      q: z.string().min(1).max(2_000),
      k: z.coerce.number().int().min(1).max(20).default(5),
    }),
  },
  responses: { 200: { description: "Most similar first", schema: ConversationSearchSchema } },
  errors: [503],
});

export const conversationDeleteContract = defineRoute({
  method: "delete",
  path: "/conversations/{id}",
  tags: ["memory"],
  summary: "Delete a conversation: its history, messages, metrics, room replay and vectors (its owner only)",
  description:
    "Needs conversation memory (docs/MEMORY.md): the stored exchanges show who owns the conversation. " +
    "Another key's conversation, or one with nothing stored, is a 404.",
  auth: "key",
  rateLimit: "write",
  request: { params: z.object({ id: IdSchema }) },
  responses: { 200: { description: "Deleted", schema: ConversationDeletedSchema } },
  errors: [404, 503],
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

/** `GET /conversations/:id/search?q=&k=` and `DELETE /conversations/:id`. */
export const conversationRoutes = register(
  register(new Hono<AppEnv>(), conversationSearchContract, async (c) => {
    const { id } = c.req.valid("param");
    const { q, k } = c.req.valid("query");
    const owner = memoryOwner(c);
    const matches = await withMemory(c.get("services"), (memory) =>
      memory.search({ owner, conversationId: id, text: q, k }),
    );
    return c.json({ id, query: q, results: matches }, 200);
  }),
  conversationDeleteContract,
  async (c) => {
    const { id } = c.req.valid("param");
    const services = c.get("services");
    const messageIds = await withMemory(services, (memory) =>
      memory.forget({ owner: memoryOwner(c), conversationId: id }),
    );
    if (messageIds.length === 0)
      throw new ApiError(404, "not_found", `No conversation with id ${id} of yours is stored`);
    await services.store.deleteConversation(id, messageIds).catch((error: unknown) => {
      services.log(
        { msg: "conversation_delete_incomplete", part: "cache", reason: errorName(error) },
        "warn",
      );
      throw new ApiError(503, "service_unavailable", "The cache is unavailable right now; try again shortly");
    });
    await services.rooms?.clear(id).catch((error: unknown) => {
      services.log(
        { msg: "conversation_delete_incomplete", part: "rooms", reason: errorName(error) },
        "warn",
      );
      throw new ApiError(
        503,
        "service_unavailable",
        "The rooms are unavailable right now; try again shortly",
      );
    });
    return c.json({ id, deleted: true as const, messages: messageIds.length }, 200);
  },
);
