import { describe, expect, it } from "vitest";
import { call, makeEnv, readSse, uniqueKey } from "./support";

const stream = (env: Record<string, string>) =>
  call("/chat", { method: "POST", json: { message: "Hi", stream: true, metrics: "off" } }, env).then(readSse);

describe("a streamed answer's time limits", () => {
  it("are not the chain's total budget: a slow stream that keeps sending runs past it", async () => {
    const key = uniqueKey("slow-stream");
    // Six chunks 500 ms apart: about 2.5 s in all, well past the 1.5 s budget for getting an answer,
    // which itself leaves a busy machine time to connect and get the first chunk.
    const env = makeEnv({
      GROQ_MODEL: `crawl:${key}`,
      PROVIDER_TOTAL_TIMEOUT_MS: "1500",
      STREAM_IDLE_TIMEOUT_MS: "5000",
    });
    const events = await stream(env);
    expect(events.at(-1)).toMatchObject({ event: "done", data: { message: "Hello from the fake model." } });
  }, 20_000);

  it("end a stream that goes quiet at the idle timeout, with an error event", async () => {
    const key = uniqueKey("quiet-stream");
    const env = makeEnv({
      GROQ_MODEL: `hang-after-first:${key}`,
      PROVIDER_TOTAL_TIMEOUT_MS: "300000",
      STREAM_IDLE_TIMEOUT_MS: "300",
    });
    const events = await stream(env);
    expect(events.at(-1)).toMatchObject({ event: "error", data: { error: "provider_timeout" } });
  }, 20_000);

  it("end a stream at its maximum duration even while it keeps sending", async () => {
    const key = uniqueKey("long-stream");
    const env = makeEnv({ GROQ_MODEL: `slow:${key}`, STREAM_IDLE_TIMEOUT_MS: "2000", STREAM_MAX_MS: "300" });
    const events = await stream(env);
    expect(events.filter((event) => event.event === "delta").length).toBeLessThan(6);
    expect(events.at(-1)).toMatchObject({ event: "error", data: { error: "provider_timeout" } });
  });
});
