import { OpenAPIHono } from "@hono/zod-openapi";
import { requestId } from "hono/request-id";
import { handleError, notFoundOrWrongMethod, validationHook } from "./middleware/errors";
import { requestLog } from "./middleware/request-log";
import { registerAnalyzeRoutes } from "./routes/analyze";
import { registerAuditRoutes } from "./routes/audit";
import { registerCacheReadRoutes } from "./routes/cache-reads";
import { registerChatRoutes } from "./routes/chat";
import { registerDocsRoutes } from "./routes/docs";
import { registerHealthRoutes } from "./routes/health";
import { registerModelRoutes } from "./routes/models";
import { registerRoomRoutes } from "./routes/rooms";
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
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

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
  registerDocsRoutes(app);

  app.notFound(notFoundOrWrongMethod(() => app.routes));
  app.onError(handleError);
  return app;
}

export type App = ReturnType<typeof createApp>;
