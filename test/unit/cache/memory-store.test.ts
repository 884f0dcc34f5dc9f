import { describe, expect, it } from "vitest";
import { createChatStore } from "../../../src/cache";
import { contractDefaults, describeChatStoreContract, uniqueId } from "./chat-store-contract";

describeChatStoreContract(
  "memory",
  () => (overrides) => createChatStore({ ...contractDefaults, ...overrides }),
);

describe("memory ChatStore", () => {
  it("says it is the memory driver, with health 'memory'", async () => {
    const store = createChatStore(contractDefaults);
    expect(store.driver).toBe("memory");
    expect((await store.health()).status).toBe("memory");
  });

  it("shares data between stores of the same isolate, as a per-request store needs", async () => {
    const messageId = uniqueId("msg");
    await createChatStore(contractDefaults).saveMetrics(messageId, { score: 1 });
    expect(await createChatStore(contractDefaults).getMetrics(messageId)).toEqual({ score: 1 });
  });
});
