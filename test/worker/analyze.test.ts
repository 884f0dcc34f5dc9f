import { describe, expect, it } from "vitest";
import { NEO_CATEGORY_NAMES } from "../../src/schemas/metrics";
import { call, calls, fakeLlmUrl, makeEnv, uniqueKey } from "./support";

const analyze = (body: unknown, env = makeEnv()) => call("/analyze", { method: "POST", json: body }, env);
const withNeo = () =>
  makeEnv({ NEO_API_KEY: "api_test_neo_key_0000000000", NEO_API_URL: `${fakeLlmUrl()}/neo` });
const TEXT = "was written on a grey morning. The harbour smelled of diesel and rain, and nobody came.";

describe("POST /analyze", () => {
  it("scores a text locally in all nine of Neo's categories", async () => {
    const response = await analyze({ text: `Someone ${TEXT}` });
    expect(response.status).toBe(200);
    const metrics = (await response.json()) as Record<string, unknown>;
    expect(metrics).toMatchObject({ source: "local", is_ai_generated: expect.any(Boolean) });
    expect(metrics.human_likeness_score).toBeGreaterThanOrEqual(0);
    expect(metrics.human_likeness_score).toBeLessThanOrEqual(100);
    expect(Object.keys(metrics)).toEqual(expect.arrayContaining([...NEO_CATEGORY_NAMES]));
  });

  it.each([[""], ["   \n\t "]])("answers 400 for an empty or blank text (%j)", async (text) => {
    const response = await analyze({ text });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_request" });
  });

  it("answers 413 for a text over 100,000 characters", async () => {
    const response = await analyze({ text: "word ".repeat(20_001) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "payload_too_large" });
  });

  it("asks Neo once for an identical text and answers the second time from the cache", async () => {
    const key = uniqueKey("same");
    const env = withNeo();
    const first = await analyze({ text: `${key} ${TEXT}` }, env);
    const second = await analyze({ text: `${key} ${TEXT}` }, env);
    expect(await first.json()).toMatchObject({ source: "neo", human_likeness_score: 32 });
    expect(await second.json()).toMatchObject({ source: "neo", human_likeness_score: 32 });
    expect((await calls(key)).calls).toBe(1);
  });

  it("keeps each key's scores to itself: another key's identical text is scored afresh", async () => {
    const key = uniqueKey("per-key");
    const env = makeEnv({
      AUTH_DISABLED: "false",
      API_KEYS: "alice:alice-analyze-key-000000000,bob:bob-analyze-key-00000000000",
      NEO_API_KEY: "api_test_neo_key_0000000000",
      NEO_API_URL: `${fakeLlmUrl()}/neo`,
    });
    const as = (apiKey: string) =>
      call(
        "/analyze",
        { method: "POST", json: { text: `${key} ${TEXT}` }, headers: { authorization: `Bearer ${apiKey}` } },
        env,
      );
    expect((await as("alice-analyze-key-000000000")).status).toBe(200);
    expect((await calls(key)).calls).toBe(1);
    // Bob's identical text is not answered from Alice's entry: no "seen before", no analysis id of hers.
    expect(await (await as("bob-analyze-key-00000000000")).json()).toMatchObject({ source: "neo" });
    expect((await calls(key)).calls).toBe(2);
    // Each key still reuses its own.
    await as("alice-analyze-key-000000000");
    await as("bob-analyze-key-00000000000");
    expect((await calls(key)).calls).toBe(2);
  });

  it("falls back to the local analyzer when Neo fails, and asks Neo again next time", async () => {
    const env = withNeo();
    // The fake Neo fails any text starting "neo-down" and counts calls by the first word: this test's own.
    const key = uniqueKey("neo-down");
    const text = `${key} ${TEXT}`;
    const first = (await (await analyze({ text }, env)).json()) as Record<string, unknown>;
    expect(first).toMatchObject({ source: "local", fallback_reason: expect.stringMatching(/^neo_/) });
    const afterFirst = (await calls(key)).calls;
    await analyze({ text }, env);
    expect(afterFirst).toBeGreaterThan(0);
    expect((await calls(key)).calls).toBeGreaterThan(afterFirst);
  });
});
