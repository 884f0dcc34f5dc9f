import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../types";
import { callerIdentity, clientAddress } from "./caller";

const app = new Hono<AppEnv>();
app.use("/keyed", async (c, next) => {
  c.set("facts", { keyName: "alice" });
  await next();
});
app.get("*", (c) => c.json({ address: clientAddress(c), identity: callerIdentity(c) }));

const ask = async (path: string, ip?: string) =>
  (await (
    await app.request(path, { headers: ip === undefined ? {} : { "cf-connecting-ip": ip } })
  ).json()) as {
    address: string;
    identity: string;
  };

describe("who is calling", () => {
  it("reads Cloudflare's client address, IPv4 or IPv6", async () => {
    expect(await ask("/", "203.0.113.9")).toEqual({ address: "203.0.113.9", identity: "ip:203.0.113.9" });
    expect((await ask("/", "2001:db8::1")).address).toBe("2001:db8::1");
  });

  it("calls a missing or malformed address unknown", async () => {
    expect((await ask("/")).address).toBe("unknown");
    expect((await ask("/", "1.2.3.4<script>")).address).toBe("unknown");
  });

  it("names a keyed caller by its key's name, whatever its address", async () => {
    expect((await ask("/keyed", "203.0.113.9")).identity).toBe("key:alice");
  });
});
