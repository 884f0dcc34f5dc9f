import { Hono } from "hono";
import { defineRoute } from "../openapi/contract";
import { register } from "../openapi/register";
import { HealthSchema } from "../schemas/health";
import type { AppEnv } from "../types";

export const healthContract = defineRoute({
  method: "get",
  path: "/health",
  tags: ["operations"],
  summary: "Liveness and the state of each part (public; names parts and variables, never a value)",
  rateLimit: "status",
  responses: {
    200: { description: "Up, perhaps degraded", schema: HealthSchema },
    503: { description: "Down: no provider can answer", schema: HealthSchema },
  },
});

/** `GET /health`: each component's state (see `services/health.ts`). */
export const healthRoutes = register(new Hono<AppEnv>(), healthContract, async (c) => {
  const health = await c.get("services").health();
  return health.status === "down" ? c.json(health, 503) : c.json(health, 200);
});
