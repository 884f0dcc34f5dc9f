import { Hono } from "hono";
import { defineRoute, errorResponses } from "../openapi/contract";
import { type ModelList, ModelListSchema } from "../schemas/health";
import type { Services } from "../services";
import type { AppEnv } from "../types";

const LIST_TIMEOUT_MS = 5_000;
const CACHE_MS = 60_000;

export const modelsContract = defineRoute({
  method: "get",
  path: "/models",
  tags: ["chat"],
  summary: "Models offered by the configured providers",
  auth: "key",
  responses: { 200: { description: "Models by provider", schema: ModelListSchema }, ...errorResponses(401) },
});

let cached: { at: number; services: Services; list: ModelList } | undefined;

/** `GET /models`: every configured provider asked in parallel; one that fails is listed under `errors`. */
export const modelRoutes = new Hono<AppEnv>().get("/models", async (c) =>
  c.json(await modelListing(c.get("services")), 200),
);

/** The providers' models, kept for a minute once every provider has answered. */
export async function modelListing(services: Services): Promise<ModelList> {
  if (cached && cached.services === services && Date.now() - cached.at < CACHE_MS) return cached.list;
  const list = await listModels(services);
  cached = list.errors.length === 0 ? { at: Date.now(), services, list } : undefined;
  return list;
}

async function listModels(services: Services): Promise<ModelList> {
  const signal = AbortSignal.timeout(LIST_TIMEOUT_MS);
  const results = await Promise.allSettled(services.providers.map((provider) => provider.listModels(signal)));
  const list: ModelList = { data: [], errors: [] };
  results.forEach((result, index) => {
    const provider = services.providers[index];
    if (!provider) return;
    if (result.status === "fulfilled") {
      for (const id of result.value) list.data.push({ id, provider: provider.name });
    } else {
      list.errors.push({
        provider: provider.name,
        error: result.reason instanceof Error ? result.reason.message : "unavailable",
      });
    }
  });
  return list;
}
