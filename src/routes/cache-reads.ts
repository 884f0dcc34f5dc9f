import { Hono } from "hono";
import * as z from "zod";
import { CacheUnavailableError } from "../cache";
import { ApiError } from "../lib/errors";
import { lazy, type MaybeLazy } from "../lib/lazy";
import { defineRoute } from "../openapi/contract";
import { register } from "../openapi/register";
import { ConversationSchema, StoredMessageSchema } from "../schemas/chat";
import { IdSchema } from "../schemas/common";
import { MetricsSchema } from "../schemas/metrics";
import { ownerOf } from "../security/ownership";
import type { AppEnv } from "../types";

const IdParamsSchema = lazy(() => z.object({ id: IdSchema() }));

const read = <const P extends string>(path: P, summary: string, schema: MaybeLazy<z.ZodType>) =>
  defineRoute({
    method: "get",
    path,
    tags: ["cache"],
    summary,
    auth: "key",
    rateLimit: "read",
    request: { params: IdParamsSchema },
    responses: { 200: { description: summary, schema } },
    errors: [404, 503],
  });

const messageContract = read(
  "/messages/{id}",
  "A cached chat message and its reply (24 h)",
  StoredMessageSchema,
);
const metricsContract = read("/metrics/{id}", "The cached metrics of a message (7 days)", MetricsSchema);
const conversationContract = read(
  "/conversations/{id}",
  "A cached conversation's recent turns",
  ConversationSchema,
);

/**
 * Reads from the cache; an entry that is missing, expired, unreadable or bound to another API key is
 * a 404 (the same answer, so ids of others cannot be probed), a cache outage a 503.
 */
async function lookup<T>(
  what: string,
  id: string,
  load: () => Promise<unknown>,
  schema: () => z.ZodType<T>,
): Promise<T> {
  let value: unknown;
  try {
    value = await load();
  } catch (error) {
    if (error instanceof CacheUnavailableError) {
      throw new ApiError(503, "service_unavailable", "The cache is unavailable right now; try again shortly");
    }
    throw error;
  }
  const parsed = schema().safeParse(value);
  if (value === null || value === undefined || !parsed.success) {
    throw new ApiError(
      404,
      "not_found",
      `No ${what} with id ${id} (never stored, expired, or not this API key's)`,
    );
  }
  return parsed.data;
}

/** `GET /messages/:id` (24 h), `GET /metrics/:id` (7 d), `GET /conversations/:id` (history). */
export const cacheReadRoutes = register(
  register(
    register(new Hono<AppEnv>(), messageContract, async (c) => {
      const { id } = c.req.valid("param");
      const store = c.get("services").store;
      return c.json(
        await lookup("message", id, () => store.getMessage(id, ownerOf(c)), StoredMessageSchema),
        200,
      );
    }),
    metricsContract,
    async (c) => {
      const { id } = c.req.valid("param");
      const store = c.get("services").store;
      return c.json(await lookup("metrics", id, () => store.getMetrics(id, ownerOf(c)), MetricsSchema), 200);
    },
  ),
  conversationContract,
  async (c) => {
    const { id } = c.req.valid("param");
    const load = async () => {
      const turns = await c.get("services").store.getConversation(id, ownerOf(c));
      return turns && { id, turns };
    };
    return c.json(await lookup("conversation", id, load, ConversationSchema), 200);
  },
);
