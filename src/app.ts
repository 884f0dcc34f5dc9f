import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { handleError, notFoundOrWrongMethod } from "./middleware/error-handler";
import { corsPolicy, securityHeaders } from "./middleware/headers";
import { redactErrorResponses } from "./middleware/redact-responses";
import { requestContext } from "./middleware/request-context";
import { contractsOf } from "./openapi/register";
import { analyzeRoutes } from "./routes/analyze";
import { auditRoutes } from "./routes/audit";
import { cacheReadRoutes } from "./routes/cache-reads";
import { chatRoutes } from "./routes/chat";
import { conversationRoutes } from "./routes/conversations";
import { docsRoutes } from "./routes/docs";
import { healthRoutes } from "./routes/health";
import { modelRoutes } from "./routes/models";
import { roomRoutes } from "./routes/rooms";
import type { AppEnv } from "./types";

/**
 * The whole API: middleware in the order a request meets it, then the routes. Each route brings
 * its own auth, rate budget and validation from its contract (`openapi/register.ts`).
 * Services are built once per isolate from `env` and reached through `c.get("services")`.
 */
export function createApp() {
  const app = new Hono<AppEnv>();

  app.use("*", requestId({ headerName: "X-Request-Id" }));
  app.use("*", securityHeaders());
  app.use("*", requestContext());
  app.use("*", redactErrorResponses(), corsPolicy());

  const routes = app
    .route("/", chatRoutes)
    .route("/", analyzeRoutes)
    .route("/", cacheReadRoutes)
    .route("/", conversationRoutes)
    .route("/", modelRoutes)
    .route("/", roomRoutes)
    .route("/", healthRoutes)
    .route("/", auditRoutes)
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
