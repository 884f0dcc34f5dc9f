import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { publishBearer } from "../../../src/rooms/keys";
import { connectRoomClient } from "../../helpers/partykit";
import { callAs, type Stack, startStack } from "../../helpers/stack";

/**
 * Deleting a conversation as a user meets it, with auth on: real `wrangler dev`, real redis-server
 * behind the REST bridge, real `partykit dev` rooms (their replay is part of the conversation), and
 * a fake Groq (echoing the question) and Neo.
 */
const PARTY_SECRET = "delete-test-party-secret-0123456789";
const ALICE = "alice-key-0123456789abcdef";
const BOB = "bob-key-0123456789abcdef01";
let stack: Stack<{ redis: true; partySecret: string }>;

beforeAll(async () => {
  stack = await startStack({
    redis: true,
    partySecret: PARTY_SECRET,
    vars: ({ llm }) => ({
      API_KEYS: `alice:${ALICE},bob:${BOB}`,
      GROQ_API_KEY: "gsk_delete_test_key_00000000000",
      GROQ_MODEL: "echo:delete",
      NEO_API_KEY: "neo-delete-test-key-000000000",
      NEO_API_URL: `${llm.url}/neo`,
    }),
  });
}, 120_000);

afterAll(() => stack?.stop());

const call = (key: string, method: string, path: string, body?: unknown) =>
  callAs(stack.worker.url, key, method, path, body);

async function issued(): Promise<string> {
  const response = await call(ALICE, "POST", "/conversations");
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

async function chat(body: Record<string, unknown>): Promise<{ id: string }> {
  const response = await call(ALICE, "POST", "/chat", body);
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string };
}

/** How many metrics messages the room keeps for replay (its GET, with the worker's bearer). */
async function replayed(room: string): Promise<number> {
  const response = await fetch(`${stack.rooms.url}/parties/main/${room}`, {
    headers: { authorization: `Bearer ${await publishBearer(PARTY_SECRET)}` },
  });
  return ((await response.json()) as { replay: number }).replay;
}

describe("DELETE /conversations/:id with rooms", () => {
  it("clears the room's replay; with the rooms down it answers 503 and a retry finishes the job", async () => {
    const conversationId = await issued();
    await chat({ message: "Hello there, first question", conversationId, metrics: "sync" });
    await chat({ message: "Hello again, second question", conversationId, metrics: "sync" });
    await vi.waitFor(async () => expect(await replayed(conversationId)).toBe(2), { timeout: 20_000 });

    stack.rooms.pause();
    try {
      const failed = await call(ALICE, "DELETE", `/conversations/${conversationId}`);
      expect(failed.status).toBe(503);
      expect(await failed.json()).toMatchObject({ status: "error", error: "service_unavailable" });
      // The owner record stays until the end: nobody else can take the id meanwhile.
      expect((await call(BOB, "POST", `/rooms/${conversationId}/token`)).status).toBe(404);
      expect((await call(BOB, "DELETE", `/conversations/${conversationId}`)).status).toBe(404);
    } finally {
      stack.rooms.resume();
    }

    const retried = await call(ALICE, "DELETE", `/conversations/${conversationId}`);
    expect(retried.status).toBe(200);
    expect(await replayed(conversationId)).toBe(0);
    expect((await call(ALICE, "GET", `/conversations/${conversationId}`)).status).toBe(404);
    expect((await call(ALICE, "POST", `/rooms/${conversationId}/token`)).status).toBe(404);
  }, 60_000);

  it("does not put back the metrics of a chat still being scored when the DELETE came", async () => {
    const conversationId = await issued();
    const watcher = await connectRoomClient(stack.rooms.host, conversationId, PARTY_SECRET);
    await watcher.opened;
    const hold = `neo-hold-${randomUUID().slice(0, 8)}`;
    try {
      const { id } = await chat({ message: `${hold} is being scored`, conversationId, metrics: "async" });
      await vi.waitFor(
        async () =>
          expect(
            ((await (await fetch(`${stack.llm.url}/__calls/${hold}`)).json()) as { calls: number }).calls,
          ).toBeGreaterThan(0),
        { timeout: 20_000 },
      );
      expect((await call(ALICE, "DELETE", `/conversations/${conversationId}`)).status).toBe(200);
      await fetch(`${stack.llm.url}/__release/${hold}`, { method: "POST" });

      // The chat's last word in the room is its "done" status; by then its metrics were or were not sent.
      await vi.waitFor(
        () =>
          expect(
            watcher.messages.some(
              (message) =>
                message.type === "status" && "state" in message.data && message.data.state === "done",
            ),
          ).toBe(true),
        { timeout: 20_000 },
      );
      expect(watcher.messages.filter((message) => message.type === "metrics")).toEqual([]);
      expect(await replayed(conversationId)).toBe(0);
      expect((await call(ALICE, "GET", `/metrics/${id}`)).status).toBe(404);
    } finally {
      watcher.close();
    }
  }, 60_000);
});
