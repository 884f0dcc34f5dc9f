import { Hono } from "hono";
import { defineRoute } from "../openapi/contract";
import { register } from "../openapi/register";
import { ModelListSchema } from "../schemas/health";
import type { AppEnv } from "../types";

export const modelsContract = defineRoute({
  method: "get",
  path: "/models",
  tags: ["chat"],
  summary: "Models offered by the configured providers",
  auth: "key",
  rateLimit: "status",
  responses: { 200: { description: "Models by provider", schema: ModelListSchema } },
});

/** `GET /models`: every configured provider asked in parallel (see `providers/models.ts`). */
export const modelRoutes = register(new Hono<AppEnv>(), modelsContract, async (c) =>
  c.json(await c.get("services").models.list(), 200),
);
