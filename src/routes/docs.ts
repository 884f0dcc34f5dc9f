import { swaggerUI } from "@hono/swagger-ui";
import { Hono } from "hono";
import { rateLimit } from "../middleware/rate-limit";
import type { RouteContract } from "../openapi/contract";
import { buildOpenApiDocument } from "../openapi/document";
import type { AppEnv } from "../types";
import { VERSION } from "../version";

const DESCRIPTION = [
  "Chat with an LLM (Groq, Ollama or any OpenAI-compatible server) and get every reply scored for",
  "human-likeness (Neo API or the built-in analyzer). Metrics are also broadcast live to the",
  "conversation's PartyKit room: get a token from `POST /rooms/{room}/token` and connect with partysocket.",
  "",
  'Every error answers `{status: "error", error: <stable code>, details}`. Unknown paths answer 404 and',
  "known paths with another method 405, in the same envelope. Send API keys as `Authorization: Bearer <key>`.",
].join("\n");

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document generated from the contracts of the routes served
 * (read on first request, once per isolate and origin); `GET /docs`: an interactive reference
 * (Swagger UI; its files are static assets under `/vendor/`, so the worker ships only HTML). Both
 * count against the `status` rate budget, like every other route.
 */
export function docsRoutes(contracts: () => readonly RouteContract[]) {
  const documents = new Map<string, string>();
  return new Hono<AppEnv>()
    .use("/openapi.json", rateLimit("status"))
    .use("/docs", rateLimit("status"))
    .get("/openapi.json", (c) => {
      const origin = new URL(c.req.url).origin;
      let document = documents.get(origin);
      if (!document) {
        document = JSON.stringify(
          buildOpenApiDocument(contracts(), {
            title: "Neon Nexus API",
            version: VERSION,
            description: DESCRIPTION,
            serverUrl: origin,
          }),
        );
        if (documents.size < 8) documents.set(origin, document);
      }
      return c.body(document, 200, { "content-type": "application/json; charset=utf-8" });
    })
    .get(
      "/docs",
      swaggerUI({
        url: "/openapi.json",
        baseUrl: "/vendor",
        validatorUrl: "none",
        title: "Neon Nexus API reference",
      }),
    );
}
