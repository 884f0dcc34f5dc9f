import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "../lib/errors";
import { matchKey, parseBearer } from "../security/api-keys";
import type { AppEnv } from "../types";
import { recordAudit } from "./audit";

/** Who may call a route: anyone with an API key, or only an admin key. */
export type AuthLevel = "key" | "admin";

const REALM = 'Bearer realm="neon-nexus"';
type Refusal = "missing" | "malformed" | "unknown_key";
const REFUSALS: Record<Refusal, { details: string; challenge: string }> = {
  missing: { details: "Send an API key: Authorization: Bearer <key>", challenge: REALM },
  malformed: {
    details: "The Authorization header must be: Bearer <key>",
    challenge: `${REALM}, error="invalid_request"`,
  },
  unknown_key: { details: "The API key is not valid", challenge: `${REALM}, error="invalid_token"` },
};

/**
 * `Authorization: Bearer <key>`, checked in constant time against `API_KEYS` (or `ADMIN_API_KEYS`
 * for `admin`). The key's name goes into the request facts; failures answer 401 with
 * `WWW-Authenticate` and are audited. No keys configured: 503, unless `AUTH_DISABLED` (which never
 * opens admin routes). Routes get it from their contract's `auth` (see `openapi/register.ts`).
 *
 * @example
 * app.use("/audit", requireKey("admin"));
 */
export function requireKey(level: AuthLevel): MiddlewareHandler<AppEnv> {
  const admin = level === "admin";
  return async (c, next) => {
    const { auth } = c.get("services").config;
    if (!admin && auth.disabled) return next();

    const accepted = admin ? auth.adminKeys : [...auth.keys, ...auth.adminKeys];
    if (accepted.length === 0) {
      throw new ApiError(
        503,
        "auth_not_configured",
        admin ? "No admin keys are configured (ADMIN_API_KEYS)" : "No API keys are configured (API_KEYS)",
      );
    }
    const bearer = parseBearer(c.req.header("authorization"));
    if (bearer.kind !== "token") refuse(c, bearer.kind);
    const match = await matchKey(bearer.token, accepted);
    if (!match) {
      const ordinary = admin ? await matchKey(bearer.token, auth.keys) : undefined;
      if (!ordinary) refuse(c, "unknown_key");
      c.set("facts", { ...c.get("facts"), keyName: ordinary.name });
      recordAudit(c, { type: "auth_failure", reason: "not_admin" });
      throw new ApiError(403, "forbidden", "This route needs an admin key");
    }
    c.set("facts", { ...c.get("facts"), keyName: match.name });
    await next();
  };
}

function refuse(c: Context<AppEnv>, reason: Refusal): never {
  recordAudit(c, { type: "auth_failure", reason });
  const refusal = REFUSALS[reason];
  throw new ApiError(401, "unauthorized", refusal.details, { "WWW-Authenticate": refusal.challenge });
}
