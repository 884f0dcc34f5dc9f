import { describe, expect, it } from "vitest";
import { loadConfig, secretsOf } from "../../../src/config";

const secret = "party-secret-000000000001";
const rooms = (vars: Record<string, string>) => loadConfig({ PARTY_SECRET: secret, ...vars });

describe("PARTYKIT_HOST", () => {
  it.each([
    ["my-app.user.partykit.dev", "https://my-app.user.partykit.dev"],
    ["127.0.0.1:1999", "http://127.0.0.1:1999"],
    ["localhost:8001", "http://localhost:8001"],
    ["https://rooms.example.com/", "https://rooms.example.com"],
    ["http://127.0.0.1:8001", "http://127.0.0.1:8001"],
  ])("takes %s (a bare host in PartyKit's convention, or a URL) as %s", (host, origin) => {
    const config = rooms({ PARTYKIT_HOST: host });
    expect(config.rooms?.host).toBe(origin);
    expect(config.switchedOff).toEqual([]);
  });

  it("switches rooms off, saying why, for plain http off this machine while auth is on", () => {
    const config = rooms({ PARTYKIT_HOST: "http://rooms.example.com" });
    expect(config.rooms).toBeUndefined();
    expect(config.switchedOff).toEqual([{ part: "rooms", reason: expect.stringContaining("https://") }]);
    expect(rooms({ PARTYKIT_HOST: "http://rooms.example.com", AUTH_DISABLED: "true" }).rooms?.host).toBe(
      "http://rooms.example.com",
    );
  });

  it.each(["ftp://rooms.example.com", "https://rooms.example.com/parties/main", "exa mple.com"])(
    "switches rooms off instead of refusing the whole configuration for %s",
    (host) => {
      const config = rooms({ PARTYKIT_HOST: host });
      expect(config.rooms).toBeUndefined();
      expect(config.switchedOff).toHaveLength(1);
      expect(JSON.stringify(config.switchedOff)).not.toContain(secret);
    },
  );
});

describe("room token secret", () => {
  it("is ROOM_TOKEN_SECRET when set, else PARTY_SECRET, and both are secrets to scrub", () => {
    expect(rooms({ PARTYKIT_HOST: "127.0.0.1:1999" }).rooms?.tokenSecret).toBe(secret);
    const separate = rooms({ PARTYKIT_HOST: "127.0.0.1:1999", ROOM_TOKEN_SECRET: "token-secret-000000001" });
    expect(separate.rooms).toMatchObject({ secret, tokenSecret: "token-secret-000000001" });
    expect(secretsOf(separate)).toEqual(expect.arrayContaining([secret, "token-secret-000000001"]));
  });
});
