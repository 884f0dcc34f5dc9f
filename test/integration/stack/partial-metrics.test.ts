import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MetricsMessage } from "../../../src/schemas/room";
import { type FakeLlm, startFakeLlm } from "../../helpers/fake-llm";
import { LONG_REPLY } from "../../helpers/long-reply";
import { connectRoomClient, type PartykitDevServer, startPartykitDev, waitFor } from "../../helpers/partykit";
import { startWranglerDev, type WranglerDevServer } from "../../helpers/wrangler";

/**
 * Partial metrics across real processes: `wrangler dev` streaming the fake LLM's long reply (chunks
 * 5 ms apart) and publishing to real `partykit dev` rooms — one answering, one frozen mid-stream.
 */
const PARTY_SECRET = "partial-metrics-party-secret-0123456789";
let llm: FakeLlm;
let rooms: PartykitDevServer;
let worker: WranglerDevServer;

beforeAll(async () => {
  [llm, rooms] = await Promise.all([startFakeLlm(), startPartykitDev({ vars: { PARTY_SECRET } })]);
  worker = await startWranglerDev({
    vars: {
      AUTH_DISABLED: "true",
      LLM_PROVIDERS: "groq",
      GROQ_API_KEY: "gsk_partial_test_key_000000000000",
      GROQ_BASE_URL: llm.groqBaseUrl,
      GROQ_MODEL: "long-paced:partials",
      PARTYKIT_HOST: rooms.url,
      PARTY_SECRET,
    },
  });
}, 120_000);

afterAll(async () => {
  rooms?.resume();
  await Promise.allSettled([worker?.stop(), rooms?.stop(), llm?.close()]);
});

interface StreamedEvent {
  event: string;
  data: Record<string, unknown>;
  /** ms since the request was sent. */
  at: number;
}

/** Streams a chat and records each SSE event with its arrival time. */
async function streamChat(conversationId: string): Promise<StreamedEvent[]> {
  const sent = performance.now();
  const response = await fetch(`${worker.url}/chat`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message: "Tell me about the harbour", conversationId, stream: true }),
  });
  expect(response.status).toBe(200);
  const events: StreamedEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data), at: performance.now() - sent });
    }
  }
  return events;
}

/** Logs the largest wait between two deltas: the figure that shows whether anything held the stream. */
function reportGaps(label: string, events: StreamedEvent[]): StreamedEvent[] {
  const deltas = events.filter((event) => event.event === "delta");
  const gaps = deltas.slice(1).map((event, index) => event.at - (deltas[index] as StreamedEvent).at);
  const sorted = [...gaps].sort((a, b) => a - b);
  console.log(
    `${label}: ${deltas.length} deltas (upstream sends one every 5 ms), gap between deltas ` +
      `median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, largest ${sorted.at(-1)?.toFixed(1)} ms`,
  );
  return deltas;
}

async function watch(conversationId: string) {
  const response = await fetch(`${worker.url}/rooms/${conversationId}/token`, { method: "POST" });
  const { token } = (await response.json()) as { token: string };
  const client = await connectRoomClient(rooms.host, conversationId, PARTY_SECRET, token);
  await client.opened;
  return client;
}

describe("partial metrics through wrangler dev and partykit dev", () => {
  it("a room client receives growing partials, then the final equal to the done event's metrics", async () => {
    const client = await watch("partials-live");
    const events = await streamChat("partials-live");
    reportGaps("room answering", events);
    const done = events.at(-1);
    expect(done?.event).toBe("done");
    expect(done?.data).toMatchObject({ message: LONG_REPLY, partial: false });
    const isFinal = (message: (typeof client.messages)[number]) =>
      message.type === "metrics" && message.data.partial === false;
    await waitFor(() => client.messages.some(isFinal), "the final metrics in the room");

    const metrics = client.messages.filter(
      (message): message is MetricsMessage => message.type === "metrics",
    );
    const partials = metrics.filter((message) => message.data.partial === true);
    expect(partials.length).toBeGreaterThanOrEqual(1);
    const words = partials.map((message) => message.data.words ?? 0);
    expect(words).toEqual([...words].sort((a, b) => a - b));
    expect(new Set(words).size).toBe(words.length);
    for (const message of partials) expect((message.data.words ?? 1) % 40).toBe(0);
    expect(metrics.at(-1)?.data).toEqual({
      messageId: done?.data.id,
      conversationId: "partials-live",
      metrics: done?.data.metrics,
      partial: false,
    });
    expect(client.unexpected).toEqual([]);
  });

  it("a frozen room holds back neither the deltas nor the partial events nor done", async () => {
    const client = await watch("partials-frozen");
    rooms.pause();
    let events: StreamedEvent[];
    try {
      events = await streamChat("partials-frozen");
    } finally {
      rooms.resume();
    }
    // The room answered nothing while the whole stream went out.
    expect(client.messages.filter((message) => message.type === "metrics")).toEqual([]);
    const deltas = reportGaps("room frozen", events);
    expect(deltas.map((event) => event.data.text).join("")).toBe(LONG_REPLY);
    const partialWords = events.filter((event) => event.event === "metrics").map((event) => event.data.words);
    expect(partialWords).toEqual([40, 80, 120, 160, 200]);
    expect(events.at(-1)).toMatchObject({ event: "done", data: { partial: false } });
  });
});
