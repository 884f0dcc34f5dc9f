import { describe, expect, it } from "vitest";
import { call, calls, makeEnv, requestsFor, uniqueKey } from "./support";

const chat = (body: Record<string, unknown>, env: Record<string, string>) =>
  call("/chat", { method: "POST", json: { metrics: "off", ...body } }, env);

describe("the provider's retry-after", () => {
  it("is honoured: a wait longer than the time left is not retried early, the client is told to wait", async () => {
    const key = uniqueKey("retry-after");
    const response = await chat({ message: "Hi" }, makeEnv({ GROQ_MODEL: `rate-limit-once-long:${key}` }));
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("30");
    expect((await calls(key)).calls).toBe(1);
  });
});

describe("MAX_CONTEXT_CHARS", () => {
  it("sends the newest turns that fit and drops the oldest", async () => {
    const key = uniqueKey("trim");
    const context = [
      { role: "user", content: `oldest ${"a".repeat(60)}` },
      { role: "assistant", content: `middle ${"b".repeat(30)}` },
      { role: "user", content: `newest ${"c".repeat(30)}` },
    ];
    const env = makeEnv({ GROQ_MODEL: `ok:${key}`, MAX_CONTEXT_CHARS: "100" });
    expect((await chat({ message: "Question?", context }, env)).status).toBe(200);
    const [sent] = await requestsFor(key);
    const messages = (sent?.messages ?? []) as Array<{ role: string; content: string }>;
    expect(messages.map((message) => message.content.split(" ")[0])).toEqual([
      "middle",
      "newest",
      "Question?",
    ]);
  });
});
