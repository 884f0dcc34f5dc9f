import { describe, expect, it } from "vitest";
import { call, calls, makeEnv, readSse, uniqueKey } from "./support";

const chat = (body: Record<string, unknown>, env: Record<string, string>) =>
  call("/chat", { method: "POST", json: { message: "Hi", metrics: "off", ...body } }, env);

describe("a hanging first provider", () => {
  it("is not retried: the chain moves to the healthy second at its first-byte timeout", async () => {
    const key = uniqueKey("hung");
    const env = makeEnv({
      LLM_PROVIDERS: "groq,ollama",
      GROQ_MODEL: `hang:${key}`,
      PROVIDER_FIRST_BYTE_TIMEOUT_MS: "300",
      PROVIDER_TOTAL_TIMEOUT_MS: "60000",
      PROVIDER_MAX_RETRIES: "2",
    });
    const response = await chat({}, env);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { provider: string }).provider).toBe("ollama");
    expect((await calls(key)).calls).toBe(1);

    // The breaker is open now: the next requests go straight to the second provider.
    const next = await chat({ stream: true }, env);
    expect((await readSse(next)).at(-1)).toMatchObject({ event: "done", data: { provider: "ollama" } });
    expect((await chat({}, env)).status).toBe(200);
    expect((await calls(key)).calls).toBe(1);
  });

  it("gets only its share of the budget when its first-byte timeout is longer", async () => {
    const key = uniqueKey("share");
    const env = makeEnv({
      LLM_PROVIDERS: "groq,ollama",
      GROQ_MODEL: `hang:${key}`,
      PROVIDER_FIRST_BYTE_TIMEOUT_MS: "120000",
      PROVIDER_TOTAL_TIMEOUT_MS: "1000",
    });
    const response = await chat({}, env);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { provider: string }).provider).toBe("ollama");
  });

  it("is tried again, alone, when every provider's breaker is open", async () => {
    const key = uniqueKey("alone");
    const env = makeEnv({ GROQ_MODEL: `hang:${key}`, PROVIDER_FIRST_BYTE_TIMEOUT_MS: "200" });
    expect((await chat({}, env)).status).toBe(504);
    expect((await chat({}, env)).status).toBe(504);
    expect((await calls(key)).calls).toBe(2);
  });
});

describe("a provider failing with 5xx", () => {
  it("trips its breaker after three failed requests in a row; the others are not affected", async () => {
    const key = uniqueKey("trip");
    const env = makeEnv({
      LLM_PROVIDERS: "groq,ollama",
      GROQ_MODEL: `fail-500:${key}`,
      PROVIDER_MAX_RETRIES: "0",
    });
    for (let request = 0; request < 3; request++) expect((await chat({}, env)).status).toBe(200);
    expect((await calls(key)).calls).toBe(3);
    expect((await chat({}, env)).status).toBe(200);
    expect((await calls(key)).calls).toBe(3);
  });
});

describe("a provider that sends its headers and then nothing", () => {
  // First byte 500 ms, chain 4 s: the hanging provider has 2 s (its share) to send content.
  for (const [first, second] of [
    ["groq", "ollama"],
    ["ollama", "groq"],
  ] as const) {
    for (const stream of [false, true]) {
      it(`(${first}, ${stream ? "stream" : "JSON"}) loses its turn at the end of its share: ${second} answers`, async () => {
        const key = uniqueKey(`silent-${first}`);
        const models = { groq: "ok:default", ollama: "ok:default", [first]: `headers-then-hang:${key}` };
        const env = makeEnv({
          LLM_PROVIDERS: `${first},${second}`,
          GROQ_MODEL: models.groq,
          OLLAMA_MODEL: models.ollama,
          PROVIDER_FIRST_BYTE_TIMEOUT_MS: "500",
          PROVIDER_TOTAL_TIMEOUT_MS: "4000",
          PROVIDER_MAX_RETRIES: "0",
        });
        const response = await chat({ stream }, env);
        expect(response.status).toBe(200);
        if (stream) {
          expect((await readSse(response)).at(-1)).toMatchObject({
            event: "done",
            data: { provider: second },
          });
        } else {
          expect(((await response.json()) as { provider: string }).provider).toBe(second);
        }
        expect((await calls(key)).calls).toBe(1);
        await expect.poll(async () => (await calls(key)).aborted, { timeout: 10_000 }).toBe(1);
      }, 20_000);
    }
  }
});

describe("a tripped provider after its cool-down", () => {
  it("is probed by one request at a time; requests arriving meanwhile go straight to the next", async () => {
    const key = uniqueKey("half-open");
    const env = makeEnv({
      LLM_PROVIDERS: "groq,ollama",
      GROQ_MODEL: `hang:${key}`,
      PROVIDER_FIRST_BYTE_TIMEOUT_MS: "400",
      PROVIDER_BREAKER_COOL_DOWN_MS: "300",
    });
    expect((await chat({}, env)).status).toBe(200);
    expect((await calls(key)).calls).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the cool-down passes

    const answers = await Promise.all(Array.from({ length: 4 }, () => chat({}, env)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { provider: string }).provider).toBe("ollama");
    }
    expect((await calls(key)).calls).toBe(2);
  });
});
