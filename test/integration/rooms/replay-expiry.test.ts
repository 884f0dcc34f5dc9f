import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishBearer } from "../../../src/rooms/keys";
import type { MetricsMessage, RoomServerMessage } from "../../../src/schemas/room";
import { type RoomsUnderTest, startRoomsUnderTest, waitFor } from "../../helpers/partykit";

/** Rooms whose replay expires after 2 s (`METRICS_TTL_SECONDS`), as the worker's metrics do. */
const secret = "replay-expiry-secret-0123456789";
let stand: RoomsUnderTest;

beforeAll(async () => {
  stand = await startRoomsUnderTest(secret, { METRICS_TTL_SECONDS: "2" });
});
afterAll(() => stand?.stop());

const join = (room: string) => stand.join(room);
const rooms = { publish: (room: string, message: MetricsMessage) => stand.rooms.publish(room, message) };

const metrics = (room: string, messageId: string, padding = ""): MetricsMessage => ({
  type: "metrics",
  data: { messageId, conversationId: room, metrics: { source: "local", padding } },
});
const metricsIds = (messages: RoomServerMessage[]) =>
  messages.flatMap((message) => (message.type === "metrics" ? [message.data.messageId] : []));
const stored = async (room: string) => {
  const response = await fetch(`${stand.server.url}/parties/main/${room}`, {
    headers: { authorization: `Bearer ${await publishBearer(secret)}` },
  });
  return ((await response.json()) as { replay: number }).replay;
};

describe("room replay", () => {
  it("replays metrics only within the metrics TTL, and the room's storage is emptied after it", async () => {
    await rooms.publish("expiring-room", metrics("expiring-room", "soon-gone"));
    const early = await join("expiring-room");
    await waitFor(() => metricsIds(early.messages).length === 1, "the replay within the TTL");
    expect(await stored("expiring-room")).toBe(1);

    await expect.poll(() => stored("expiring-room"), { timeout: 15_000, interval: 250 }).toBe(0);
    const late = await join("expiring-room");
    await waitFor(() => late.messages.length > 0, "the greeting");
    await rooms.publish("expiring-room", metrics("expiring-room", "fresh"));
    await waitFor(() => metricsIds(late.messages).includes("fresh"), "the live message");
    expect(metricsIds(late.messages)).toEqual(["fresh"]);
  });

  it("keeps at most 256 KiB per room, dropping the oldest first", async () => {
    const padding = "x".repeat(60_000);
    const ids = ["big-1", "big-2", "big-3", "big-4", "big-5", "big-6"];
    for (const id of ids) await rooms.publish("capped-room", metrics("capped-room", id, padding));
    expect(await stored("capped-room")).toBe(4);
    const late = await join("capped-room");
    await waitFor(() => metricsIds(late.messages).includes("big-6"), "the newest replayed message");
    expect(metricsIds(late.messages)).toEqual(ids.slice(-4));
  });
});
