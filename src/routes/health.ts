import { Hono } from "hono";
import { defineRoute } from "../openapi/contract";
import { type Health, HealthSchema } from "../schemas/health";
import type { Services } from "../services";
import type { AppEnv } from "../types";
import { VERSION } from "../version";

export const healthContract = defineRoute({
  method: "get",
  path: "/health",
  tags: ["operations"],
  summary: "Liveness and the state of each part (public; reveals no configuration)",
  responses: {
    200: { description: "Up, perhaps degraded", schema: HealthSchema },
    503: { description: "Down: no provider can answer", schema: HealthSchema },
  },
});

/** `GET /health`: each component's state; a missing optional part is reported, not fatal. */
export const healthRoutes = new Hono<AppEnv>().get("/health", async (c) => {
  const health = await checkHealth(c.get("services"));
  return health.status === "down" ? c.json(health, 503) : c.json(health, 200);
});

export async function checkHealth(services: Services): Promise<Health> {
  const { config, store, rooms, analyzer } = services;
  const [cache, roomStatus] = await Promise.all([
    store.health().catch(() => ({ status: "degraded" as const, detail: "health check failed" })),
    rooms ? rooms.health().catch(() => "degraded" as const) : Promise.resolve("off" as const),
  ]);
  const roomsOff = config.switchedOff.find((entry) => entry.part === "rooms");
  const auth = config.auth.disabled ? "off" : config.auth.keys.length > 0 ? "ok" : "down";
  const components: Health["components"] = {
    cache: {
      status: cache.status,
      ...(cache.detail ? { detail: cache.detail } : {}),
      droppedWrites: services.writes.dropped,
    },
    providers: {
      status: services.providers.length > 0 ? "ok" : "down",
      configured: services.providers.length,
    },
    analyzer: { status: "ok", primary: analyzer.primary },
    rooms: roomsOff ? { status: "off", detail: roomsOff.reason } : { status: roomStatus },
    auth: { status: auth },
  };
  const degraded =
    cache.status === "degraded" || roomStatus === "degraded" || auth === "down" || roomsOff !== undefined;
  return {
    status: services.providers.length === 0 ? "down" : degraded ? "degraded" : "ok",
    timestamp: new Date().toISOString(),
    version: VERSION,
    components,
  };
}
