import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config";

const plain = "plain-key-000000000001";
const admin = "admin-key-00000000001";

describe("API key names", () => {
  it("names bare keys per list, so the first plain key and the first admin key differ", () => {
    const config = loadConfig({ API_KEYS: `${plain},plain-key-000000000002`, ADMIN_API_KEYS: admin });
    const names = [...config.auth.keys, ...config.auth.adminKeys].map((entry) => entry.name);
    expect(names).toEqual(["key1", "key2", "admin1"]);
  });

  it.each([
    ["twice in one list", { API_KEYS: `web:${plain},web:plain-key-000000000002` }],
    ["once in each list", { API_KEYS: `ops:${plain}`, ADMIN_API_KEYS: `ops:${admin}` }],
    ["given to a key a bare key is named after", { API_KEYS: `key2:${plain},plain-key-000000000002` }],
  ])("refuses a name used %s, naming the name but not the keys", (_case, env) => {
    let message = "";
    try {
      loadConfig(env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/API_KEYS name "\w+" is used by two keys/);
    expect(message).not.toContain(plain);
    expect(message).not.toContain(admin);
  });
});
