import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { PatternRouter } from "hono/router/pattern-router";
import { handleError, notFoundOrWrongMethod } from "./middleware/error-handler";
import { corsPolicy, securityHeaders } from "./middleware/headers";
import { redactErrorResponses } from "./middleware/redact-responses";
import { requestContext } from "./middleware/request-context";
import { tracing } from "./middleware/tracing";
import { renderOpenAIError } from "./openai/errors";
import { contractsOf } from "./openapi/register";
import { analyzeRoutes } from "./routes/analyze";
import { auditRoutes } from "./routes/audit";
import { cacheReadRoutes } from "./routes/cache-reads";
import { chatRoutes } from "./routes/chat";
import { conversationRoutes } from "./routes/conversations";
import { docsRoutes } from "./routes/docs";
import { healthRoutes } from "./routes/health";
import { modelRoutes } from "./routes/models";
import { openAIRoutes } from "./routes/openai";
import { roomRoutes } from "./routes/rooms";
import { usageRoutes } from "./routes/usage";
import type { AppEnv } from "./types";

/**
 * The whole API: middleware in the order a request meets it, then the routes. Each route brings
 * its own auth, rate budget and validation from its contract (`openapi/register.ts`).
 * Services are built once per isolate from `env` and reached through `c.get("services")`.
 * Routes are matched by Hono's PatternRouter: unlike the default (which compiles every route into
 * one expression on the first request) it has nothing to build, so a cold isolate answers sooner,
 * and matching our few dozen routes costs no more per request.
 */
export function createApp() {
  const app = new Hono<AppEnv>({ router: new PatternRouter() });

  app.use("*", requestId({ headerName: "X-Request-Id" }));
  app.use("*", securityHeaders());
  app.use("*", requestContext());
  app.use("*", tracing());
  app.use("*", redactErrorResponses(), corsPolicy());
  // OpenAI's SDKs read errors in OpenAI's shape: every /v1 error, 404 and auth failures included.
  app.use("/v1/*", async (c, next) => {
    c.set("renderError", renderOpenAIError);
    await next();
  });

  const routes = app
    .route("/", chatRoutes)
    .route("/", openAIRoutes)
    .route("/", analyzeRoutes)
    .route("/", cacheReadRoutes)
    .route("/", conversationRoutes)
    .route("/", modelRoutes)
    .route("/", roomRoutes)
    .route("/", healthRoutes)
    .route("/", auditRoutes)
    .route("/", usageRoutes)
    .route(
      "/",
      docsRoutes(() => contractsOf(app)),
    );

  app.notFound(notFoundOrWrongMethod(() => app.routes));
  app.onError(handleError);
  return routes;
}

/** The API's type, for `hono/client`: `hc<AppType>("https://…")` gives typed calls. */
export type AppType = ReturnType<typeof createApp>;
