import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../types";
import type { AuditEventInput } from "./audit-event";
import { callerIdentity, clientAddress, runAfterResponse } from "./request-context";
import { redact, securityFor } from "./state";

const MAX_PATH_CHARS = 200;

export type AuditFacts = Pick<AuditEventInput, "type" | "reason" | "room">;

/**
 * Records a security event: one structured log line (`msg: "audit"`) and an entry in the audit
 * trail, written after the response. Repeats from one client are capped per minute.
 *
 * @example
 * recordAudit(c, { type: "auth_failure", reason: "unknown_key" });
 */
export function recordAudit(c: Context<AppEnv>, facts: AuditFacts): void {
  const services = c.get("services");
  const security = securityFor(services);
  const event: AuditEventInput = {
    ...facts,
    at: new Date().toISOString(),
    requestId: c.get("requestId"),
    method: c.req.method,
    path: redact(c.req.path.slice(0, MAX_PATH_CHARS), security.secrets),
    client: clientAddress(c),
    ...(c.get("facts")?.keyName ? { keyName: c.get("facts").keyName } : {}),
  };
  const write = security.auditThrottle.check(`${facts.type}|${callerIdentity(c)}`).then(async (decision) => {
    if (!decision.allowed) return;
    services.log({ msg: "audit", ...event }, facts.type === "room_token_issued" ? "info" : "warn");
    await security.trail.append(event).catch((error: unknown) => {
      services.log(
        { msg: "audit_write_failed", trail: security.trail.kind, error: errorName(error) },
        "warn",
      );
    });
  });
  runAfterResponse(c, write);
}

/** Audits every room token the route below hands out. */
export function auditRoomTokens(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.res.status === 200) recordAudit(c, { type: "room_token_issued", room: c.req.param("room") });
  };
}

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
