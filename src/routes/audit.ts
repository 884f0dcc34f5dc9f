import { Hono } from "hono";
import * as z from "zod";
import { ApiError } from "../lib/errors";
import { lazy } from "../lib/lazy";
import { defineRoute } from "../openapi/contract";
import { register } from "../openapi/register";
import { AuditPageSchema, STREAM_ID_PATTERN } from "../security/audit-event";
import type { AppEnv } from "../types";

const AuditQuerySchema = lazy(() =>
  z.object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(200)
      .default(50)
      .meta({ examples: [50] }),
    before: z
      .string()
      .regex(STREAM_ID_PATTERN, { error: "must be an event id such as 1764151200000-0" })
      .optional()
      .meta({ description: "`nextCursor` of the previous page" }),
  }),
);

export const auditContract = defineRoute({
  method: "get",
  path: "/audit",
  tags: ["operations"],
  summary: "Security events, newest first (admin key only)",
  auth: "admin",
  rateLimit: "read",
  request: { query: AuditQuerySchema },
  responses: { 200: { description: "One page of the audit trail", schema: AuditPageSchema } },
  errors: [503],
});

/** `GET /audit?limit&before`: pages through the audit trail (auth failures, rate limits, room tokens). */
export const auditRoutes = register(new Hono<AppEnv>(), auditContract, async (c) => {
  const { limit, before } = c.req.valid("query");
  const page = await c
    .get("services")
    .audit.trail.page({ before, limit })
    .catch(() => {
      throw new ApiError(
        503,
        "service_unavailable",
        "The audit trail cannot be read right now; try again shortly",
      );
    });
  return c.json(page, 200);
});
