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

  it("hands out copies: changing what a read returned does not change what is stored", async () => {
    const store = createChatStore(contractDefaults);
    const messageId = uniqueId("msg");
    const conversationId = uniqueId("conv");
    await store.saveExchange({
      messageId,
      message: { id: messageId, message: "the answer", usage: { total: 3 } },
      conversationId,
      turns: [
        { role: "user", content: "the question" },
        { role: "assistant", content: "the answer" },
      ],
    });
    const message = await store.getMessage(messageId);
    if (message === null) throw new Error("the message was not stored");
    message.message = "changed";
    (message.usage as { total: number }).total = 99;
    const history = await store.loadHistory(conversationId);
    history.push({ role: "user", content: "added" });
    (history[0] as { content: string }).content = "changed";

    expect(await store.getMessage(messageId)).toEqual({
      id: messageId,
      message: "the answer",
      usage: { total: 3 },
    });
    expect(await store.loadHistory(conversationId)).toEqual([
      { role: "user", content: "the question" },
      { role: "assistant", content: "the answer" },
    ]);
  });
});
