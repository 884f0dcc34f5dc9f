import { describe, expect, it } from "vitest";
import { TtlMap } from "../../../src/cache/ttl-map";

function clockAt(start: number) {
  const clock = { now: start, read: () => clock.now };
  return clock;
}

describe("TtlMap", () => {
  it("returns a value until its TTL has passed, then forgets it", () => {
    const clock = clockAt(1_000);
    const map = new TtlMap<string>(10, clock.read);
    map.set("k", "v", 2);
    clock.now += 1_999;
    expect(map.get("k")).toBe("v");
    clock.now += 1;
    expect(map.get("k")).toBeUndefined();
    expect(map.size).toBe(0);
  });

  it("evicts the entry written longest ago when full", () => {
    const map = new TtlMap<number>(2);
    map.set("a", 1, 60);
    map.set("b", 2, 60);
    map.set("a", 3, 60);
    map.set("c", 4, 60);
    expect(map.get("b")).toBeUndefined();
    expect(map.get("a")).toBe(3);
    expect(map.get("c")).toBe(4);
    expect(map.size).toBe(2);
  });

  it("gives a rewritten entry a fresh TTL", () => {
    const clock = clockAt(0);
    const map = new TtlMap<string>(10, clock.read);
    map.set("k", "old", 1);
    clock.now += 900;
    map.set("k", "new", 1);
    clock.now += 900;
    expect(map.get("k")).toBe("new");
  });
});
