import { afterEach, describe, expect, it, vi } from "vitest";
import { call, makeEnv, readSse, uniqueKey } from "./support";

afterEach(() => {
  vi.restoreAllMocks();
});

/** The `request` log lines written while `run` goes (the worker's `waitUntil` work included). */
async function requestLines(run: () => Promise<void>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
  await run();
  return lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === "request");
}

describe("the request log line of a streamed chat", () => {
  it("is written when the stream ends, with the model, the tokens and the failures before it", async () => {
    const key = uniqueKey("stream-log");
    const env = makeEnv({
      LOG_LEVEL: "info",
      LLM_PROVIDERS: "groq,ollama",
      GROQ_MODEL: `fail-500:${key}`,
      OLLAMA_MODEL: `ok:${key}`,
      PROVIDER_MAX_RETRIES: "0",
    });
    const lines = await requestLines(async () => {
      const response = await call(
        "/chat",
        { method: "POST", json: { message: "Hi", stream: true, metrics: "off" } },
        env,
      );
      expect((await readSse(response)).at(-1)?.event).toBe("done");
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      route: "/chat",
      status: 200,
      provider: "ollama",
      model: `ok:${key}`,
      tokens: 18,
      failures: ["server_error"],
      streamOutcome: "done",
    });
  });

  it("says how a stream that broke midway ended", async () => {
    const key = uniqueKey("stream-broke");
    const env = makeEnv({ LOG_LEVEL: "info", GROQ_MODEL: `error-midstream:${key}` });
    const lines = await requestLines(async () => {
      const response = await call(
        "/chat",
        { method: "POST", json: { message: "Hi", stream: true, metrics: "off" } },
        env,
      );
      expect((await readSse(response)).at(-1)?.event).toBe("error");
    });
    expect(lines).toEqual([expect.objectContaining({ provider: "groq", streamOutcome: "provider_error" })]);
  });
});
