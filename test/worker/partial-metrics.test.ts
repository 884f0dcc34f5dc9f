import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MINIMUM_WORDS } from "../../src/analysis/local/confidence";
import { type ChatStreamEvent, createNexusClient } from "../../src/client";
import app from "../../src/index";
import { MetricsSchema } from "../../src/schemas/metrics";
import { PartialMetricsEventSchema } from "../../src/schemas/partial-metrics";
import { LONG_REPLY } from "../helpers/long-reply";
import { call, makeEnv, openAIChunks, readSse, type SseEvent } from "./support";

const post = (path: string, body: unknown, env: Record<string, string>) =>
  call(path, { method: "POST", json: body }, env);
const longEnv = (overrides: Record<string, string> = {}) =>
  makeEnv({ GROQ_MODEL: "long:partials", ...overrides });
const streamLong = async (env = longEnv(), fields: Record<string, unknown> = {}) =>
  readSse(await post("/chat", { message: "Tell me about the harbour", stream: true, ...fields }, env));
const analyze = async (text: string, env = longEnv()) =>
  (await post("/analyze", { text }, env)).json() as Promise<Record<string, unknown>>;

/** The metrics events with the reply text streamed before each one. */
function partialsWithText(events: SseEvent[]) {
  let text = "";
  const partials = [];
  for (const { event, data } of events) {
    if (event === "delta") text += (data as { text: string }).text;
    if (event === "metrics") partials.push({ event: PartialMetricsEventSchema().parse(data), text });
  }
  return partials;
}

const wordsIn = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe("partial metrics while a /chat reply streams", () => {
  it("sends a metrics event every 40 words, in order, before done, each scoring the text so far", async () => {
    const events = await streamLong();
    const start = events[0]?.data as { id: string };
    const partials = partialsWithText(events);
    expect(partials.map(({ event }) => event.words)).toEqual([40, 80, 120, 160, 200]);
    const doneIndex = events.findIndex((event) => event.event === "done");
    expect(doneIndex).toBe(events.length - 1);
    expect(events.findLastIndex((event) => event.event === "metrics")).toBeLessThan(doneIndex);
    for (const { event, text } of partials) {
      expect(event).toMatchObject({ messageId: start.id, partial: true });
      expect(wordsIn(text)).toBe(event.words);
      expect(event.metrics).toEqual(await analyze(text));
    }
  });

  it("ends with done carrying partial: false and the metrics /analyze gives the whole reply, byte for byte", async () => {
    const events = await streamLong();
    const done = events.at(-1);
    expect(done?.event).toBe("done");
    const answer = done?.data as { message: string; partial: boolean; metrics: unknown };
    expect(answer.message).toBe(LONG_REPLY);
    expect(answer.partial).toBe(false);
    expect(MetricsSchema().parse(answer.metrics)).toEqual(answer.metrics);
    expect(JSON.stringify(answer.metrics)).toBe(JSON.stringify(await analyze(LONG_REPLY)));

    const plain = (await (await post("/chat", { message: "Tell me" }, longEnv())).json()) as {
      message: string;
      metrics: unknown;
    };
    expect(plain.message).toBe(LONG_REPLY);
    expect(JSON.stringify(answer.metrics)).toBe(JSON.stringify(plain.metrics));
  });

  it("marks a partial low_confidence while the text is too short for a verdict", async () => {
    const partials = partialsWithText(await streamLong(longEnv({ PARTIAL_METRICS_EVERY_WORDS: "20" })));
    expect(partials.map(({ event }) => event.words)).toEqual([
      20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220,
    ]);
    for (const { event } of partials) {
      const tooShort = event.words < MINIMUM_WORDS;
      expect(event.metrics.low_confidence_reason === "too_short").toBe(tooShort);
      if (tooShort) expect(event.metrics.low_confidence).toBe(true);
    }
  });

  it("sends none when PARTIAL_METRICS_EVERY_WORDS is 0, or the request asks for no metrics", async () => {
    const off = await streamLong(longEnv({ PARTIAL_METRICS_EVERY_WORDS: "0" }));
    expect(off.filter((event) => event.event === "metrics")).toEqual([]);
    const done = off.at(-1) as SseEvent;
    expect(done.event).toBe("done");
    expect(done.data).not.toHaveProperty("partial");
    expect((done.data as { metrics: unknown }).metrics).toEqual(await analyze(LONG_REPLY));

    const metricsOff = await streamLong(longEnv(), { metrics: "off" });
    expect(metricsOff.filter((event) => event.event === "metrics")).toEqual([]);
    expect(metricsOff.at(-1)).toMatchObject({ event: "done", data: { metrics: null, metricsStatus: "off" } });
  });

  it("streams every partial and the final when the room host is down", async () => {
    const env = longEnv({
      PARTYKIT_HOST: "http://127.0.0.1:9",
      PARTY_SECRET: "room-secret-for-a-down-host-0123",
    });
    const events = await streamLong(env);
    expect(partialsWithText(events).map(({ event }) => event.words)).toEqual([40, 80, 120, 160, 200]);
    expect(events.at(-1)).toMatchObject({ event: "done", data: { message: LONG_REPLY, partial: false } });
  });

  it("refuses a PARTIAL_METRICS_EVERY_WORDS that is not a whole number, naming the variable", async () => {
    const response = await post(
      "/chat",
      { message: "Hi" },
      longEnv({ PARTIAL_METRICS_EVERY_WORDS: "often" }),
    );
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: string; details: string };
    expect(body.error).toBe("invalid_configuration");
    expect(body.details).toContain("PARTIAL_METRICS_EVERY_WORDS");
    expect(body.details).not.toContain("often");
  });

  it("reaches the typed client as metrics events between the deltas", async () => {
    const env = longEnv();
    const client = createNexusClient({
      baseUrl: "http://nexus.test",
      fetch: async (input, init) => app.fetch(new Request(input, init), env, createExecutionContext()),
    });
    const events: ChatStreamEvent[] = [];
    for await (const event of client.chatStream({ message: "Tell me about the harbour" })) events.push(event);
    const metrics = events.flatMap((event) => (event.type === "metrics" ? [event] : []));
    expect(metrics.map((event) => event.words)).toEqual([40, 80, 120, 160, 200]);
    expect(
      metrics.every((event) => event.partial && typeof event.metrics.human_likeness_score === "number"),
    ).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "done", response: { message: LONG_REPLY, partial: false } });
  });
});

describe("partial metrics while a /v1/chat/completions reply streams", () => {
  it("sends each partial as a chunk with empty choices before the finish chunk, then the final metrics chunk, when asked", async () => {
    const response = await post(
      "/v1/chat/completions",
      {
        model: "groq/long:partials",
        stream: true,
        stream_options: { include_metrics: true },
        messages: [{ role: "user", content: "Tell me" }],
      },
      longEnv(),
    );
    expect(response.status).toBe(200);
    const chunks = await openAIChunks<{
      choices: Array<{ delta: { content?: string }; finish_reason: string | null }>;
      neon_nexus?: { partial?: unknown; metrics?: unknown };
    }>(response);
    let text = "";
    const partials: Array<{ words: number; text: string; metrics: unknown }> = [];
    for (const chunk of chunks) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.neon_nexus?.partial !== undefined) {
        expect(chunk.choices).toEqual([]);
        const partial = PartialMetricsEventSchema().parse(chunk.neon_nexus.partial);
        partials.push({ words: partial.words, text, metrics: partial.metrics });
      }
    }
    expect(partials.map(({ words }) => words)).toEqual([40, 80, 120, 160, 200]);
    const finishIndex = chunks.findIndex((chunk) => chunk.choices[0]?.finish_reason);
    const lastPartialIndex = chunks.findLastIndex((chunk) => chunk.neon_nexus?.partial !== undefined);
    expect(lastPartialIndex).toBeLessThan(finishIndex);
    for (const partial of partials) {
      expect(wordsIn(partial.text)).toBe(partial.words);
      expect(partial.metrics).toEqual(await analyze(partial.text));
    }
    const final = chunks.find((chunk) => chunk.neon_nexus?.metrics !== undefined);
    expect(final?.neon_nexus?.metrics).toEqual(await analyze(LONG_REPLY));
  });

  it("sends only chunks with a choice when the client does not ask for metrics, so chunk.choices[0] always exists", async () => {
    const response = await post(
      "/v1/chat/completions",
      { model: "groq/long:partials", stream: true, messages: [{ role: "user", content: "Tell me" }] },
      longEnv(),
    );
    const chunks = await openAIChunks<{ choices: unknown[]; neon_nexus?: unknown; usage?: unknown }>(
      response,
    );
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.every((chunk) => chunk.choices.length === 1 && chunk.neon_nexus === undefined)).toBe(true);
    expect(chunks.some((chunk) => "usage" in chunk)).toBe(false);
  });
});
