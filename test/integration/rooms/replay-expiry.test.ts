import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishBearer } from "../../../src/rooms/keys";
import type { MetricsMessage, RoomServerMessage } from "../../../src/schemas/room";
import { type RoomsUnderTest, startRoomsUnderTest, waitFor } from "../../helpers/partykit";

/**
 * Rooms whose replay expires after `METRICS_TTL_SECONDS`, as the worker's metrics do. The TTL is
 * a window the test must act within (publish, connect, receive the replay), so it is wide enough for
 * a busy machine; the cap is tested on rooms with the default TTL, where nothing expires meanwhile.
 */
const secret = "replay-expiry-secret-0123456789";
const TTL_SECONDS = 10;
let expiring: RoomsUnderTest;
let lasting: RoomsUnderTest;

beforeAll(async () => {
  [expiring, lasting] = await Promise.all([
    startRoomsUnderTest(secret, { METRICS_TTL_SECONDS: String(TTL_SECONDS) }),
    startRoomsUnderTest(secret),
  ]);
});
afterAll(() => Promise.all([expiring?.stop(), lasting?.stop()]));

const metrics = (room: string, messageId: string, padding = ""): MetricsMessage => ({
  type: "metrics",
  data: { messageId, conversationId: room, metrics: { source: "local", padding } },
});
const metricsIds = (messages: RoomServerMessage[]) =>
  messages.flatMap((message) => (message.type === "metrics" ? [message.data.messageId] : []));
const stored = async (stand: RoomsUnderTest, room: string) => {
  const response = await fetch(`${stand.server.url}/parties/main/${room}`, {
    headers: { authorization: `Bearer ${await publishBearer(secret)}` },
  });
  return ((await response.json()) as { replay: number }).replay;
};

describe("room replay", () => {
  it("replays metrics only within the metrics TTL, and the room's storage is emptied after it", async () => {
    await expiring.rooms.publish("expiring-room", metrics("expiring-room", "soon-gone"));
    const early = await expiring.join("expiring-room");
    await waitFor(() => metricsIds(early.messages).length === 1, "the replay within the TTL");
    expect(await stored(expiring, "expiring-room")).toBe(1);

    await expect
      .poll(() => stored(expiring, "expiring-room"), { timeout: TTL_SECONDS * 1_000 + 20_000, interval: 250 })
      .toBe(0);
    const late = await expiring.join("expiring-room");
    await waitFor(() => late.messages.length > 0, "the greeting");
    await expiring.rooms.publish("expiring-room", metrics("expiring-room", "fresh"));
    await waitFor(() => metricsIds(late.messages).includes("fresh"), "the live message");
    expect(metricsIds(late.messages)).toEqual(["fresh"]);
  }, 90_000);

  it("keeps at most 256 KiB per room, dropping the oldest first", async () => {
    const padding = "x".repeat(60_000);
    const ids = ["big-1", "big-2", "big-3", "big-4", "big-5", "big-6"];
    for (const id of ids) await lasting.rooms.publish("capped-room", metrics("capped-room", id, padding));
    expect(await stored(lasting, "capped-room")).toBe(4);
    const late = await lasting.join("capped-room");
    await waitFor(() => metricsIds(late.messages).includes("big-6"), "the newest replayed message");
    expect(metricsIds(late.messages)).toEqual(ids.slice(-4));
  });
});
