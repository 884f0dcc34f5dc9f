import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { handleError, notFoundOrWrongMethod } from "./middleware/errors";
import { requestContext } from "./middleware/request-context";
import { analyzeContract, analyzeRoutes } from "./routes/analyze";
import { auditContract, auditRoutes } from "./routes/audit";
import { cacheReadContracts, cacheReadRoutes } from "./routes/cache-reads";
import { chatContract, chatRoutes } from "./routes/chat";
import { docsRoutes } from "./routes/docs";
import { healthContract, healthRoutes } from "./routes/health";
import { modelRoutes, modelsContract } from "./routes/models";
import { openAIChatContract, openAIModelsContract, openAIRoutes } from "./routes/openai";
import { roomRoutes, roomTokenContract } from "./routes/rooms";
import {
  apiKeyAuth,
  auditRoomTokens,
  corsPolicy,
  rateLimit,
  redactErrorResponses,
  securityHeaders,
} from "./security";
import type { AppEnv } from "./types";

/**
 * The whole API: middleware in the order a request meets it, then the routes.
 * Services are built once per isolate from `env` and reached through `c.get("services")`.
 */
export function createApp() {
  const app = new Hono<AppEnv>();

  app.use("*", requestId({ headerName: "X-Request-Id" }));
  app.use("*", securityHeaders());
  app.use("*", requestContext());
  app.use("*", redactErrorResponses(), corsPolicy(), apiKeyAuth());
  app.use("/chat", rateLimit("chat"));
  app.use("/v1/chat/completions", rateLimit("chat"));
  app.use("/analyze", rateLimit("analyze"));
  app.use("/rooms/:room/token", auditRoomTokens());

  const routes = app
    .route("/", healthRoutes)
    .route("/", modelRoutes)
    .route("/", chatRoutes)
    .route("/", openAIRoutes)
    .route("/", analyzeRoutes)
    .route("/", cacheReadRoutes)
    .route("/", roomRoutes)
    .route("/", auditRoutes)
    .route(
      "/",
      docsRoutes([
        chatContract,
        openAIChatContract,
        openAIModelsContract,
        analyzeContract,
        ...cacheReadContracts,
        modelsContract,
        roomTokenContract,
        healthContract,
        auditContract,
      ]),
    );

  app.notFound(notFoundOrWrongMethod(() => app.routes));
  app.onError(handleError);
  return routes;
}

/** The API's type, for `hono/client`: `hc<AppType>("https://…")` gives typed calls. */
export type AppType = ReturnType<typeof createApp>;
