import { afterEach, describe, expect, it, vi } from "vitest";
import { bearer, type Envelope, KEYS, securedEnv } from "../../test/worker/security/keys";
import { call, makeEnv } from "../../test/worker/support";

const analyze = (headers: Record<string, string>, env: Record<string, string>) =>
  call(
    "/analyze",
    { method: "POST", headers, json: { text: "A short text to score for the auth tests." } },
    env,
  );

afterEach(() => {
  vi.restoreAllMocks();
});

describe("API keys on the protected routes", () => {
  const env = securedEnv();

  it.each([
    ["no Authorization header", {}, 'Bearer realm="neon-nexus"'],
    ["an empty header", { authorization: "" }, 'Bearer realm="neon-nexus"'],
    ["another scheme", { authorization: `Basic ${KEYS.alice}` }, 'error="invalid_request"'],
    ["a scheme without a key", { authorization: "Bearer" }, 'error="invalid_request"'],
    ["a key with spaces", { authorization: `Bearer ${KEYS.alice} extra` }, 'error="invalid_request"'],
    ["a wrong key", bearer("sk_wrong_000000000000000"), 'error="invalid_token"'],
    ["a prefix of a real key", bearer(KEYS.alice.slice(0, -1)), 'error="invalid_token"'],
    ["a real key with a suffix", bearer(`${KEYS.alice}0`), 'error="invalid_token"'],
  ])("refuses %s with 401, WWW-Authenticate and the envelope", async (_name, headers, challenge) => {
    const response = await analyze(headers, env);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain(challenge);
    const body = (await response.json()) as Envelope;
    expect(body).toEqual({ status: "error", error: "unauthorized", details: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain(KEYS.alice);
  });

  it("lets a valid key through and names it, never shows it, in the request log", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const response = await analyze(bearer(KEYS.bob), securedEnv({ LOG_LEVEL: "info" }));
    expect(response.status).toBe(200);
    const request = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === "request");
    expect(request).toMatchObject({ route: "/analyze", status: 200, keyName: "bob" });
    expect(lines.join("\n")).not.toContain(KEYS.bob);
  });

  it("accepts the scheme name in any case", async () => {
    expect((await analyze({ authorization: `bearer ${KEYS.alice}` }, env)).status).toBe(200);
  });

  it.each(["/models", "/messages/msg_1", "/metrics/msg_1", "/conversations/conv_1", "/audit"])(
    "guards GET %s",
    async (path) => {
      expect((await call(path, {}, env)).status).toBe(401);
    },
  );

  it("guards POST /rooms/:room/token and /chat, also when the path is percent-encoded", async () => {
    expect((await call("/rooms/conv_1/token", { method: "POST" }, env)).status).toBe(401);
    expect((await call("/chat", { method: "POST", json: { message: "hi" } }, env)).status).toBe(401);
    expect((await call("/%63hat", { method: "POST", json: { message: "hi" } }, env)).status).toBe(401);
  });

  it("checks the key before reading the body", async () => {
    const response = await call("/chat", { method: "POST", body: "x".repeat(600 * 1024) }, env);
    expect(response.status).toBe(401);
  });

  it("keeps /health public", async () => {
    expect((await call("/health", {}, env)).status).toBe(200);
  });
});

describe("without configured keys", () => {
  it("refuses chat and analysis with 503 and says so in /health", async () => {
    const env = makeEnv({ AUTH_DISABLED: "false" });
    const response = await analyze(bearer(KEYS.alice), env);
    expect(response.status).toBe(503);
    expect(((await response.json()) as Envelope).error).toBe("auth_not_configured");
    const chat = await call("/chat", { method: "POST", json: { message: "hi" } }, env);
    expect(chat.status).toBe(503);
    const health = (await (await call("/health", {}, env)).json()) as {
      components: { auth: { status: string } };
    };
    expect(health.components.auth.status).toBe("down");
  });

  it("is open with AUTH_DISABLED=true, and /health says auth is off", async () => {
    const env = makeEnv({ AUTH_DISABLED: "true" });
    expect((await analyze({}, env)).status).toBe(200);
    const health = (await (await call("/health", {}, env)).json()) as {
      components: { auth: { status: string } };
    };
    expect(health.components.auth.status).toBe("off");
  });
});

describe("/health reveals no configuration", () => {
  it("names no key, key name, secret or upstream address", async () => {
    const env = securedEnv({
      PARTYKIT_HOST: "http://127.0.0.1:9",
      PARTY_SECRET: "party-secret-for-health-0001",
    });
    const text = await (await call("/health", {}, env)).text();
    for (const hidden of [
      KEYS.alice,
      KEYS.admin,
      "alice",
      "ops",
      "party-secret",
      "127.0.0.1",
      env.GROQ_API_KEY,
    ]) {
      expect(text).not.toContain(hidden);
    }
  });
});
