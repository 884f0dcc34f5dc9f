import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { ApiError } from "../lib/errors";
import { AuditPageSchema, STREAM_ID_PATTERN } from "../security/audit-event";
import { securityFor } from "../security/state";
import type { AppEnv } from "../types";
import { errorResponses, jsonContent } from "./openapi";

const AuditQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: "limit", in: "query" }, example: 50 }),
  before: z
    .string()
    .regex(STREAM_ID_PATTERN, { error: "must be an event id such as 1764151200000-0" })
    .optional()
    .openapi({ param: { name: "before", in: "query" }, description: "`nextCursor` of the previous page" }),
});

const auditRoute = createRoute({
  method: "get",
  path: "/audit",
  tags: ["operations"],
  summary: "Security events, newest first (admin key only)",
  request: { query: AuditQuerySchema },
  responses: {
    200: { description: "One page of the audit trail", content: jsonContent(AuditPageSchema) },
    ...errorResponses(400, 401, 403, 503),
  },
});

/** `GET /audit?limit&before`: pages through the audit trail (auth failures, rate limits, room tokens). */
export function registerAuditRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(auditRoute, async (c) => {
    const { limit, before } = c.req.valid("query");
    const { trail } = securityFor(c.var.services);
    const page = await trail.page({ before, limit }).catch(() => {
      throw new ApiError(
        503,
        "service_unavailable",
        "The audit trail cannot be read right now; try again shortly",
      );
    });
    return c.json(page, 200);
  });
}
