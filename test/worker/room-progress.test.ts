import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import app from "../../src/index";
import { fakeLlmUrl, makeEnv, requestsFor, uniqueKey } from "./support";

/** The rooms host is the fake server, which keeps every message the worker POSTs to a room. */
const roomEnv = (model: string) =>
  makeEnv({
    GROQ_MODEL: model,
    PROVIDER_FIRST_BYTE_TIMEOUT_MS: "20000",
    PROVIDER_TOTAL_TIMEOUT_MS: "30000",
    PARTYKIT_HOST: fakeLlmUrl(),
    PARTY_SECRET: "party-secret-for-progress-01",
  });

const statesIn = async (room: string) =>
  (await requestsFor(`room:${room}`)).flatMap((message) => {
    const { type, data } = message as { type: string; data: { state?: string } };
    return type === "status" && data.state ? [data.state] : [];
  });

/** Starts a streamed chat in `room` whose client can go away; the worker's `waitUntil` work is awaited by `finished`. */
function streamedChat(room: string, model: string) {
  const client = new AbortController();
  const ctx = createExecutionContext();
  const response = app.fetch(
    new Request("http://nexus.test/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "Hi", stream: true, metrics: "off", conversationId: room }),
      signal: client.signal,
    }),
    roomEnv(`${model}:${room}`),
    ctx,
  );
  return { response, leave: () => client.abort(), finished: () => waitOnExecutionContext(ctx) };
}

/** The room's messages are POSTed to the fake server by the worker; on a busy machine that takes a while. */
const POLL = { timeout: 10_000, interval: 100 };

describe("a chat's progress in its room", () => {
  it("ends with cancelled when the client leaves mid-stream", async () => {
    const room = uniqueKey("left-mid-stream");
    const chat = streamedChat(room, "hang-after-first");
    const reader = (await chat.response).body?.getReader();
    let text = "";
    while (reader && !text.includes("event: delta")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain("event: delta");
    chat.leave();
    await reader?.cancel().catch(() => undefined);
    await chat.finished();
    await expect.poll(() => statesIn(room), POLL).toEqual(["generating", "cancelled"]);
  }, 30_000);

  it("ends with cancelled when the client leaves while the provider is still silent", async () => {
    const room = uniqueKey("left-waiting");
    const chat = streamedChat(room, "hang");
    await expect.poll(() => statesIn(room), POLL).toEqual(["generating"]);
    chat.leave();
    await Promise.resolve(chat.response).catch(() => undefined);
    await chat.finished();
    await expect.poll(() => statesIn(room), POLL).toEqual(["generating", "cancelled"]);
  }, 30_000);
});
