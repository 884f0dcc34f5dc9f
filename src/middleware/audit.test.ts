import { afterEach, describe, expect, it, vi } from "vitest";
import { bearer, type Envelope, KEYS, securedEnv } from "../../test/worker/security/keys";
import { call, makeEnv } from "../../test/worker/support";
import type { AuditEvent, AuditPage } from "../security";

const readAudit = async (env: Record<string, string>, query = "") => {
  const response = await call(`/audit${query}`, { headers: bearer(KEYS.admin) }, env);
  expect(response.status).toBe(200);
  return (await response.json()) as AuditPage;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the audit trail", () => {
  it("records auth failures by reason and client, without the presented key", async () => {
    const env = securedEnv();
    const wrong = "sk_guess_0123456789abcdef";
    await call("/models", { headers: { ...bearer(wrong), "cf-connecting-ip": "203.0.113.7" } }, env);
    await call("/models", { headers: { authorization: "Token abc" } }, env);
    const { events } = await readAudit(env);
    expect(events.map((event) => [event.type, event.reason])).toEqual([
      ["auth_failure", "malformed"],
      ["auth_failure", "unknown_key"],
    ]);
    expect(events[1]).toMatchObject({ method: "GET", path: "/models", client: "203.0.113.7" });
    expect(JSON.stringify(events)).not.toContain(wrong);
  });

  it("records each room token handed out, with the key that asked", async () => {
    const env = securedEnv({
      PARTYKIT_HOST: "http://127.0.0.1:9",
      PARTY_SECRET: "party-secret-audit-000001",
    });
    const issued = await call("/conversations", { method: "POST", headers: bearer(KEYS.alice) }, env);
    const { id } = (await issued.json()) as { id: string };
    const response = await call(`/rooms/${id}/token`, { method: "POST", headers: bearer(KEYS.alice) }, env);
    expect(response.status).toBe(200);
    const { events } = await readAudit(env);
    expect(events[0]).toMatchObject({ type: "room_token_issued", room: id, keyName: "alice" });
  });

  it("writes each event as a structured log line", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    await call(
      "/models",
      { headers: bearer("sk_guess_0123456789abcdef") },
      securedEnv({ LOG_LEVEL: "warn" }),
    );
    const audit = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === "audit");
    expect(audit).toMatchObject({
      level: "warn",
      type: "auth_failure",
      reason: "unknown_key",
      path: "/models",
    });
  });

  it("pages newest first with limit and before", async () => {
    const env = securedEnv();
    for (let index = 0; index < 5; index++) await call(`/messages/page_${index}`, {}, env);
    const first = await readAudit(env, "?limit=2");
    expect(first.events.map((event: AuditEvent) => event.path)).toEqual([
      "/messages/page_4",
      "/messages/page_3",
    ]);
    expect(first.nextCursor).toBe(first.events[1]?.id);
    const second = await readAudit(env, `?limit=2&before=${first.nextCursor}`);
    expect(second.events.map((event) => event.path)).toEqual(["/messages/page_2", "/messages/page_1"]);
    const last = await readAudit(env, `?limit=2&before=${second.nextCursor}`);
    expect(last.events.map((event) => event.path)).toEqual(["/messages/page_0"]);
    expect(last.nextCursor).toBeNull();
  });

  it.each(["?limit=0", "?limit=201", "?limit=ten", "?before=yesterday"])(
    "answers 400 for %s",
    async (query) => {
      const response = await call(`/audit${query}`, { headers: bearer(KEYS.admin) }, securedEnv());
      expect(response.status).toBe(400);
    },
  );
});

describe("who may read it", () => {
  it("refuses an ordinary key with 403 and audits the attempt", async () => {
    const env = securedEnv();
    const response = await call("/audit", { headers: bearer(KEYS.alice) }, env);
    expect(response.status).toBe(403);
    expect(((await response.json()) as Envelope).error).toBe("forbidden");
    const { events } = await readAudit(env);
    expect(events[0]).toMatchObject({ type: "auth_failure", reason: "not_admin", keyName: "alice" });
  });

  it("stays closed when AUTH_DISABLED is set", async () => {
    const open = makeEnv({ AUTH_DISABLED: "true" });
    expect((await call("/audit", {}, open)).status).toBe(503);
    const withAdmins = makeEnv({ AUTH_DISABLED: "true", ADMIN_API_KEYS: `ops:${KEYS.admin}` });
    expect((await call("/audit", {}, withAdmins)).status).toBe(401);
    expect((await call("/audit", { headers: bearer(KEYS.admin) }, withAdmins)).status).toBe(200);
  });
});
