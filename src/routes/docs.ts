import { swaggerUI } from "@hono/swagger-ui";
import type { OpenAPIHono } from "@hono/zod-openapi";
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
 * `GET /openapi.json`: the OpenAPI 3.1 document generated from the routes' zod schemas;
 * `GET /docs`: an interactive reference (Swagger UI, loaded from a CDN, so the worker ships only HTML).
 */
export function registerDocsRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "A key from `API_KEYS` (admin routes: `ADMIN_API_KEYS`)",
  });
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: { title: "Neon Nexus API", version: VERSION, description: DESCRIPTION },
    servers: [{ url: new URL(c.req.url).origin }],
  }));
  app.get("/docs", swaggerUI({ url: "/openapi.json", title: "Neon Nexus API reference" }));
}
