import { createApp } from "./app";
import type { Env } from "./config";
import { purgeExpiredVectors } from "./memory/cleanup";
import { servicesFor } from "./services";

const app = createApp();

/** The Cron Trigger (wrangler.toml `[triggers] crons`): the scheduled cleanup of expired vectors. */
const scheduled: ExportedHandlerScheduledHandler<Env> = (_controller, env, ctx) => {
  ctx.waitUntil(purgeExpiredVectors(servicesFor(env)));
};

// The Hono app stays the default export (typed clients take it as it is); workerd finds the Cron
// Trigger's handler on it beside `fetch`.
Object.assign(app, { scheduled });
export default app;
export type { AppType } from "./app";
