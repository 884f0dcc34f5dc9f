import { describe, expect, it } from "vitest";
import { call, fakeLlmUrl, makeEnv } from "./support";

/** The env `npm run dev` gives the worker on a fresh clone: no provider, the demo upstream's URL. */
function freshCloneEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const {
    GROQ_API_KEY: _groq,
    OLLAMA_URL: _ollama,
    ...env
  } = makeEnv({
    LLM_PROVIDERS: "groq,ollama,openai",
    DEMO_PROVIDER_URL: `${fakeLlmUrl()}/openai/v1`,
  });
  return { ...env, ...overrides };
}

interface Health {
  components: { providers: { each: Array<{ name: string; status: string }> } };
  switchedOff: Array<{ part: string; reason: string }>;
  notice?: string;
}
const health = async (env: Record<string, string>) =>
  (await (await call("/health", {}, env)).json()) as Health;

describe("the demo provider of npm run dev", () => {
  it("answers a chat while no real provider is configured, and says so by name", async () => {
    const response = await call("/chat", { method: "POST", json: { message: "Hi" } }, freshCloneEnv());
    expect(response.status).toBe(200);
    const body = (await response.json()) as { provider: string; metrics: { human_likeness_score: number } };
    expect(body.provider).toBe("demo");
    expect(body.metrics.human_likeness_score).toBeGreaterThanOrEqual(0);
  });

  it("puts a banner in /health saying replies are canned and naming the variables to set", async () => {
    const body = await health(freshCloneEnv());
    expect(body.components.providers.each).toEqual([{ name: "demo", status: "reachable" }]);
    expect(body.notice).toMatch(/canned/);
    expect(body.notice).toContain("GROQ_API_KEY");
    expect(body.notice).toContain(".dev.vars");
  });

  it("keeps the banner in the public /health, which shows no details to a caller without an admin key", async () => {
    const env = freshCloneEnv({ AUTH_DISABLED: "false", API_KEYS: "app:demo-test-key-0123456789" });
    const response = await call("/health", {}, env);
    const body = (await response.json()) as { notice?: string; switchedOff?: unknown };
    expect(body.switchedOff).toBeUndefined();
    expect(body.notice).toMatch(/canned/);
  });

  it("steps aside as soon as a real provider is configured", async () => {
    const env = freshCloneEnv({ GROQ_API_KEY: "gsk_test_000000000000000000000000" });
    const body = await health(env);
    expect(body.components.providers.each.map((entry) => entry.name)).toEqual(["groq"]);
    expect(body.notice).toBeUndefined();
    const chat = await call("/chat", { method: "POST", json: { message: "Hi", metrics: "off" } }, env);
    expect(((await chat.json()) as { provider: string }).provider).toBe("groq");
  });

  it("is refused off loopback, so no deployed worker can answer with canned replies", async () => {
    const env = freshCloneEnv({ DEMO_PROVIDER_URL: "https://demo.example.com/v1" });
    const body = await health(env);
    expect(body.notice).toBeUndefined();
    expect(body.switchedOff).toEqual([
      { part: "demo", reason: expect.stringContaining("DEMO_PROVIDER_URL") },
    ]);
    const chat = await call("/chat", { method: "POST", json: { message: "Hi" } }, env);
    expect(chat.status).toBe(503);
    const error = (await chat.json()) as { details: string };
    expect(error.details).toContain("GROQ_API_KEY");
    expect(error.details).not.toContain("DEMO_PROVIDER_URL");
  });
});
