import type { Context } from "hono";
import { Hono } from "hono";
import * as z from "zod";
import { lazy } from "../lib/lazy";
import { defineRoute } from "../openapi/contract";
import { register } from "../openapi/register";
import { HealthSchema, PublicHealthSchema } from "../schemas/health";
import { matchKey, parseBearer } from "../security/api-keys";
import { publicHealth } from "../services/health";
import type { AppEnv } from "../types";

const AnyHealthSchema = lazy(() => z.union([PublicHealthSchema(), HealthSchema()]));

export const healthContract = defineRoute({
  method: "get",
  path: "/health",
  tags: ["operations"],
  summary: "Liveness and the state of each part",
  description:
    "Public: the overall state and each part's state (ok, degraded, down, off). With an admin key " +
    "(or with auth off, in local development) also the details: each provider's reachability and " +
    "error, parts switched off and why, dropped writes. Never a value of a setting.",
  rateLimit: "status",
  responses: {
    200: { description: "Up, perhaps degraded", schema: AnyHealthSchema },
    503: { description: "Down: no provider can answer", schema: AnyHealthSchema },
  },
});

/** `GET /health`: each component's state (see `services/health.ts`); details for an admin key only. */
export const healthRoutes = register(new Hono<AppEnv>(), healthContract, async (c) => {
  const health = await c.get("services").health();
  const answer = (await showsDetails(c)) ? health : publicHealth(health);
  return health.status === "down" ? c.json(answer, 503) : c.json(answer, 200);
});

/** Details (upstream error codes among them) are for an admin key, or for anyone when auth is off. */
async function showsDetails(c: Context<AppEnv>): Promise<boolean> {
  const { auth } = c.get("services").config;
  if (auth.disabled) return true;
  const bearer = parseBearer(c.req.header("authorization"));
  return bearer.kind === "token" && (await matchKey(bearer.token, auth.adminKeys)) !== undefined;
}
