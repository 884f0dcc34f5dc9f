import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { CacheUnavailableError } from "../cache";
import { ApiError } from "../lib/errors";
import { ConversationSchema, StoredMessageSchema } from "../schemas/chat";
import { IdSchema } from "../schemas/common";
import { MetricsSchema } from "../schemas/metrics";
import type { AppEnv } from "../types";
import { errorResponses, jsonContent } from "./openapi";

const params = z.object({ id: IdSchema.openapi({ param: { name: "id", in: "path" } }) });

const read = (path: string, summary: string, schema: z.ZodType) =>
  createRoute({
    method: "get",
    path,
    tags: ["cache"],
    summary,
    request: { params },
    responses: { 200: { description: summary, content: jsonContent(schema) }, ...errorResponses(400, 401, 404, 503) },
  });

/** Reads from the cache; an entry that is missing, expired or unreadable is a 404, a cache outage a 503. */
async function lookup<T>(what: string, id: string, load: () => Promise<unknown>, schema: z.ZodType<T>): Promise<T> {
  let value: unknown;
  try {
    value = await load();
  } catch (error) {
    if (error instanceof CacheUnavailableError) {
      throw new ApiError(503, "service_unavailable", "The cache is unavailable right now; try again shortly");
    }
    throw error;
  }
  const parsed = schema.safeParse(value);
  if (value === null || value === undefined || !parsed.success) {
    throw new ApiError(404, "not_found", `No ${what} with id ${id} (never stored, or expired)`);
  }
  return parsed.data;
}

/** `GET /messages/:id` (24 h), `GET /metrics/:id` (7 d), `GET /conversations/:id` (history). */
export function registerCacheReadRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(read("/messages/{id}", "A cached chat message and its reply", StoredMessageSchema), async (c) => {
    const { id } = c.req.valid("param");
    const message = await lookup("message", id, () => c.var.services.store.getMessage(id), StoredMessageSchema);
    return c.json(message, 200);
  });
  app.openapi(read("/metrics/{id}", "The cached metrics of a message", MetricsSchema), async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await lookup("metrics", id, () => c.var.services.store.getMetrics(id), MetricsSchema), 200);
  });
  app.openapi(read("/conversations/{id}", "A cached conversation's recent turns", ConversationSchema), async (c) => {
    const { id } = c.req.valid("param");
    const load = async () => {
      const turns = await c.var.services.store.getConversation(id);
      return turns && { id, turns };
    };
    return c.json(await lookup("conversation", id, load, ConversationSchema), 200);
  });
}
