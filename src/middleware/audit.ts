import type { Context } from "hono";
import { errorName } from "../lib/errors";
import { redact } from "../lib/redact";
import type { AuditEventInput } from "../security/audit-event";
import type { AppEnv } from "../types";
import { callerIdentity, clientAddress, runAfterResponse } from "./caller";

const MAX_PATH_CHARS = 200;

export type AuditFacts = Pick<AuditEventInput, "type" | "reason" | "room" | "target">;

/**
 * Records a security event: one structured log line (`msg: "audit"`) and an entry in the audit
 * trail, written after the response. Repeats from one client are capped per minute.
 *
 * @example
 * recordAudit(c, { type: "auth_failure", reason: "unknown_key" });
 */
export function recordAudit(c: Context<AppEnv>, facts: AuditFacts): void {
  const services = c.get("services");
  const { trail, throttle } = services.audit;
  const event: AuditEventInput = {
    ...facts,
    at: new Date().toISOString(),
    requestId: c.get("requestId"),
    method: c.req.method,
    path: redact(c.req.path.slice(0, MAX_PATH_CHARS), services.secrets),
    client: clientAddress(c),
    ...(c.get("facts")?.keyName ? { keyName: c.get("facts").keyName } : {}),
  };
  // An admin's erasure is rare and must always be on record: it is never capped.
  const allowed =
    facts.type === "key_erased"
      ? Promise.resolve(true)
      : throttle.check(`${facts.type}|${callerIdentity(c)}`).then((decision) => decision.allowed);
  const write = allowed.then(async (recorded) => {
    if (!recorded) return;
    services.log({ msg: "audit", ...event }, facts.type === "room_token_issued" ? "info" : "warn");
    await trail.append(event).catch((error: unknown) => {
      services.log({ msg: "audit_write_failed", trail: trail.kind, error: errorName(error) }, "warn");
    });
  });
  runAfterResponse(c, write);
}
