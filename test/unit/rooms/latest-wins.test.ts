import { describe, expect, it } from "vitest";
import { latestWins } from "../../../src/rooms/latest-wins";

/** A receiver whose sends stay open until the test settles them. */
function heldReceiver() {
  const started: string[] = [];
  const pending: { settle: (ok: boolean) => void }[] = [];
  const send = (message: string) =>
    new Promise<void>((resolve, reject) => {
      started.push(message);
      pending.push({ settle: (ok) => (ok ? resolve() : reject(new Error("room down"))) });
    });
  const settleNext = async (ok = true) => {
    pending.shift()?.settle(ok);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { started, send, settleNext, open: () => pending.length };
}

describe("latestWins", () => {
  it("sends at once when idle, holds one in flight, and sends only the newest of a burst next", async () => {
    const room = heldReceiver();
    const sender = latestWins(room.send);
    sender.offer("p1");
    sender.offer("p2");
    sender.offer("p3");
    sender.offer("p4");
    expect(room.started).toEqual(["p1"]);
    expect(room.open()).toBe(1);
    await room.settleNext();
    expect(room.started).toEqual(["p1", "p4"]);
    await room.settleNext();
    expect(room.open()).toBe(0);
    sender.offer("p5");
    expect(room.started).toEqual(["p1", "p4", "p5"]);
  });

  it("goes on after a failed send", async () => {
    const room = heldReceiver();
    const sender = latestWins(room.send);
    sender.offer("p1");
    sender.offer("p2");
    await room.settleNext(false);
    expect(room.started).toEqual(["p1", "p2"]);
  });

  it("close drops the waiting message and settles when the one in flight is done", async () => {
    const room = heldReceiver();
    const tracked: Promise<void>[] = [];
    const sender = latestWins(room.send, (work) => tracked.push(work));
    sender.offer("p1");
    sender.offer("p2");
    let closed = false;
    const closing = sender.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(closed).toBe(false);
    await room.settleNext();
    await closing;
    expect(closed).toBe(true);
    sender.offer("p3");
    expect(room.started).toEqual(["p1"]);
    expect(tracked).toHaveLength(1);
  });

  it("close with nothing in flight settles at once", async () => {
    await expect(latestWins(heldReceiver().send).close()).resolves.toBeUndefined();
  });
});
