import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChain } from "../../../src/providers/chain";
import { createOpenAICompatibleProvider } from "../../../src/providers/openai-compatible";
import type { CompletionRequest } from "../../../src/providers/types";
import { type FakeLlm, startFakeLlm } from "../../helpers/fake-llm";

/**
 * Whom a timeout is blamed on. Real providers against the fake Groq server; the first provider here
 * is slow to stop once aborted (as a client library that ignores its signal for a while is), so the
 * provider after it is left much less than its fair share of the chain.
 */
let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(() => llm.close());

const provider = (name: string, model: string) =>
  createOpenAICompatibleProvider({
    name,
    baseUrl: llm.groqBaseUrl,
    apiKey: "test",
    model,
    firstByteMs: 60_000,
  });
const request = (model?: string): CompletionRequest => ({
  messages: [{ role: "user", content: "Hi" }],
  maxTokensCap: 64,
  ...(model ? { model } : {}),
});
const lingering = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a timeout in the provider chain", () => {
  it("does not trip a healthy provider that an earlier one left without its share", async () => {
    const key = `starved-${Date.now()}`;
    const slowToStop = provider("first", `hang:${key}-first`);
    const starved = provider("second", `hang:${key}-second`);
    const fallback = provider("third", "ok:default");
    const chain = { maxRetries: 0, totalMs: 1_000 };

    // The first provider's share (500 ms) ends, and it lingers 350 ms more: the second gets ~150 ms.
    const first = runChain(
      [slowToStop, starved],
      async (each, signal) => {
        try {
          return await each.complete(request(), signal);
        } catch (error) {
          if (each === slowToStop) await lingering(350);
          throw error;
        }
      },
      chain,
      new AbortController().signal,
    );
    await expect(first).rejects.toMatchObject({ status: 504 });

    // The second provider is not skipped by the next chain: it answers.
    const next = await runChain(
      [starved, fallback],
      (each, signal) => each.complete(request(each === starved ? "ok:default" : undefined), signal),
      chain,
      new AbortController().signal,
    );
    next.release();
    expect(next.provider.name).toBe("second");
  });

  it("still trips a provider that had its fair share and sent nothing", async () => {
    const key = `fair-${Date.now()}`;
    const hung = provider("hung", `hang:${key}`);
    const fallback = provider("fallback", "ok:default");
    const chain = { maxRetries: 0, totalMs: 600 };
    const first = await runChain(
      [hung, fallback],
      (each, signal) => each.complete(request(), signal),
      chain,
      new AbortController().signal,
    );
    first.release();
    expect(first.provider.name).toBe("fallback");
    const next = await runChain(
      [hung, fallback],
      (each, signal) => each.complete(request(each === hung ? "ok:default" : undefined), signal),
      chain,
      new AbortController().signal,
    );
    next.release();
    expect(next.provider.name).toBe("fallback");
  });
});
