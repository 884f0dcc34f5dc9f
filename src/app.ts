import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { handleError, notFoundOrWrongMethod } from "./middleware/errors";
import { requestLog } from "./middleware/request-log";
import { analyzeContract, registerAnalyzeRoutes } from "./routes/analyze";
import { auditContract, registerAuditRoutes } from "./routes/audit";
import { cacheReadContracts, registerCacheReadRoutes } from "./routes/cache-reads";
import { chatContract, registerChatRoutes } from "./routes/chat";
import { registerDocsRoutes } from "./routes/docs";
import { healthContract, registerHealthRoutes } from "./routes/health";
import { modelsContract, registerModelRoutes } from "./routes/models";
import { registerRoomRoutes, roomTokenContract } from "./routes/rooms";
import {
  apiKeyAuth,
  auditRoomTokens,
  corsPolicy,
  rateLimit,
  redactErrorResponses,
  securityHeaders,
} from "./security";
import { servicesFor } from "./services";
import type { AppEnv } from "./types";

/**
 * The whole API: middleware in the order a request meets it, then the routes.
 * Services are built once per isolate from `env` and reached through `c.var.services`.
 */
export function createApp() {
  const app = new Hono<AppEnv>();

  app.use("*", requestId({ headerName: "X-Request-Id" }));
  app.use("*", securityHeaders());
  app.use("*", async (c, next) => {
    c.set("services", servicesFor(c.env));
    await next();
  });
  app.use("*", requestLog());
  app.use("*", redactErrorResponses(), corsPolicy(), apiKeyAuth());
  app.use("/chat", rateLimit("chat"));
  app.use("/analyze", rateLimit("analyze"));
  app.use("/rooms/:room/token", auditRoomTokens());

  registerHealthRoutes(app);
  registerModelRoutes(app);
  registerChatRoutes(app);
  registerAnalyzeRoutes(app);
  registerCacheReadRoutes(app);
  registerRoomRoutes(app);
  registerAuditRoutes(app);
  registerDocsRoutes(app, [
    chatContract,
    analyzeContract,
    ...cacheReadContracts,
    modelsContract,
    roomTokenContract,
    healthContract,
    auditContract,
  ]);

  app.notFound(notFoundOrWrongMethod(() => app.routes));
  app.onError(handleError);
  return app;
}

export type App = ReturnType<typeof createApp>;
