import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import type { ChatStore, ChatStoreOptions, Turn } from "../../../src/cache";

export type StoreFactory = (overrides?: Partial<ChatStoreOptions>) => ChatStore;

export const contractDefaults = {
  messagesTtlSeconds: 86_400,
  metricsTtlSeconds: 604_800,
  historyTurns: 4,
} satisfies ChatStoreOptions;

export const uniqueId = (prefix: string) => `${prefix}-${randomUUID()}`;
const turn = (role: Turn["role"], content: string): Turn => ({ role, content });
const metricsSample = { is_ai_generated: false, human_likeness_score: 71.5, source: "local" };

/**
 * The behaviour every ChatStore driver must show, run against a store built by `createStore`.
 *
 * @example
 * describeChatStoreContract("memory", () => (overrides) => createChatStore({ ...contractDefaults, ...overrides }));
 */
export function describeChatStoreContract(driverName: string, getFactory: () => StoreFactory): void {
  describe(`ChatStore contract: ${driverName}`, () => {
    const store = (overrides?: Partial<ChatStoreOptions>) => getFactory()(overrides);

    it("answers null / empty for ids it has never seen", async () => {
      const cache = store();
      const id = uniqueId("missing");
      expect(await cache.getMessage(id)).toBeNull();
      expect(await cache.getMetrics(id)).toBeNull();
      expect(await cache.getAnalysis(id)).toBeNull();
      expect(await cache.getConversation(id)).toBeNull();
      expect(await cache.loadHistory(id)).toEqual([]);
    });

    it("saves a message, its metrics and the conversation turns in one exchange", async () => {
      const cache = store();
      const messageId = uniqueId("msg");
      const conversationId = uniqueId("conv");
      const message = { id: messageId, message: "Hello there 👋 — naïve café", provider: "groq" };
      const turns = [turn("user", "Hi 👋"), turn("assistant", "Hello there 👋 — naïve café")];

      await cache.saveExchange({ messageId, message, metrics: metricsSample, conversationId, turns });

      expect(await cache.getMessage(messageId)).toEqual(message);
      expect(await cache.getMetrics(messageId)).toEqual(metricsSample);
      expect(await cache.getConversation(conversationId)).toEqual(turns);
      expect(await cache.loadHistory(conversationId)).toEqual(turns);
    });

    it("skips metrics when none are given and history when there is no conversation", async () => {
      const cache = store();
      const messageId = uniqueId("msg");
      await cache.saveExchange({
        messageId,
        message: { text: "x" },
        metrics: null,
        turns: [turn("user", "x")],
      });
      expect(await cache.getMessage(messageId)).toEqual({ text: "x" });
      expect(await cache.getMetrics(messageId)).toBeNull();
    });

    it("keeps only the last N turns of a conversation, oldest first", async () => {
      const cache = store({ historyTurns: 3 });
      const conversationId = uniqueId("conv");
      for (const n of [1, 2, 3]) {
        await cache.saveExchange({
          messageId: uniqueId("msg"),
          message: { n },
          conversationId,
          turns: [turn("user", `question ${n}`), turn("assistant", `answer ${n}`)],
        });
      }
      expect(await cache.loadHistory(conversationId)).toEqual([
        turn("assistant", "answer 2"),
        turn("user", "question 3"),
        turn("assistant", "answer 3"),
      ]);
    });

    it("appends an exchange's turns once, however often the same exchange is saved (a retried write)", async () => {
      const cache = store();
      const exchange = {
        messageId: uniqueId("msg"),
        message: { text: "once" },
        conversationId: uniqueId("conv"),
        turns: [turn("user", "once?"), turn("assistant", "once.")],
      };
      await cache.saveExchange(exchange);
      await cache.saveExchange(exchange);
      expect(await cache.loadHistory(exchange.conversationId)).toEqual(exchange.turns);
    });

    it("deletes a conversation's history and the named messages with their metrics, nothing else", async () => {
      const cache = store();
      const conversationId = uniqueId("conv");
      const [first, second, kept] = [uniqueId("msg"), uniqueId("msg"), uniqueId("msg")];
      for (const messageId of [first, second, kept]) {
        await cache.saveExchange({
          messageId,
          message: { messageId },
          metrics: metricsSample,
          conversationId: messageId === kept ? uniqueId("conv") : conversationId,
          turns: [turn("user", messageId)],
        });
      }
      await cache.deleteConversation(conversationId, [first, second]);
      expect(await cache.getConversation(conversationId)).toBeNull();
      for (const messageId of [first, second]) {
        expect(await cache.getMessage(messageId)).toBeNull();
        expect(await cache.getMetrics(messageId)).toBeNull();
      }
      expect(await cache.getMessage(kept)).toEqual({ messageId: kept });
      expect(await cache.getMetrics(kept)).toEqual(metricsSample);
    });

    it("stores metrics and analysis results on their own", async () => {
      const cache = store();
      const messageId = uniqueId("msg");
      const textHash = uniqueId("sha256");
      await cache.saveMetrics(messageId, metricsSample);
      await cache.saveAnalysis(textHash, { ...metricsSample, source: "neo" });
      expect(await cache.getMetrics(messageId)).toEqual(metricsSample);
      expect(await cache.getAnalysis(textHash)).toEqual({ ...metricsSample, source: "neo" });
      expect(await cache.getMessage(messageId)).toBeNull();
    });

    it("hands out copies: changing a returned object does not change the cache", async () => {
      const cache = store();
      const messageId = uniqueId("msg");
      await cache.saveMetrics(messageId, { nested: { score: 1 } });
      const first = await cache.getMetrics(messageId);
      (first?.nested as { score: number }).score = 99;
      expect(await cache.getMetrics(messageId)).toEqual({ nested: { score: 1 } });
    });

    it("binds an issued conversation and its messages to their owner; other owners read null", async () => {
      const cache = store();
      const messageId = uniqueId("msg");
      const conversationId = uniqueId("conv");
      const turns = [turn("user", "mine"), turn("assistant", "yours")];
      await cache.issueConversation(conversationId, "alice");
      expect(await cache.readOwnedConversation(conversationId, "alice", true)).toEqual({
        owned: true,
        turns: [],
      });
      await cache.saveExchange({
        messageId,
        message: { text: "mine" },
        metrics: metricsSample,
        conversationId,
        turns,
        owner: "alice",
      });

      expect(await cache.readOwnedConversation(conversationId, "alice", true)).toEqual({
        owned: true,
        turns,
      });
      expect(await cache.readOwnedConversation(conversationId, "bob", true)).toEqual({
        owned: false,
        turns: [],
      });
      expect(await cache.getConversation(conversationId, "alice")).toEqual(turns);
      expect(await cache.getConversation(conversationId, "bob")).toBeNull();
      expect(await cache.getMessage(messageId, "alice")).toEqual({ text: "mine" });
      expect(await cache.getMessage(messageId, "bob")).toBeNull();
      expect(await cache.getMetrics(messageId, "alice")).toEqual(metricsSample);
      expect(await cache.getMetrics(messageId, "bob")).toBeNull();
      expect(await cache.getMessage(messageId)).toEqual({ text: "mine" });
      expect(await cache.conversationsOf("alice", 100)).toContain(conversationId);
    });

    it("never binds an id it did not issue, and never hands out history stored without an owner", async () => {
      const cache = store();
      const fresh = uniqueId("conv");
      expect(await cache.readOwnedConversation(fresh, "alice", true)).toEqual({ owned: false, turns: [] });
      expect(await cache.readOwnedConversation(fresh, "bob", true)).toEqual({ owned: false, turns: [] });

      const open = uniqueId("conv");
      await cache.saveExchange({
        messageId: uniqueId("msg"),
        message: { text: "written with auth off" },
        conversationId: open,
        turns: [turn("user", "secret plans")],
      });
      expect(await cache.readOwnedConversation(open, "alice", true)).toEqual({ owned: false, turns: [] });
      expect(await cache.getConversation(open, "alice")).toBeNull();
      expect(await cache.conversationState(open)).toEqual({ owner: null, deletedBy: null, stored: true });
    });

    it("keeps a key named like a JSON value (123, null) as the owner it is", async () => {
      const cache = store();
      for (const owner of ["123", "null", "true"]) {
        const conversationId = uniqueId("conv");
        await cache.issueConversation(conversationId, owner);
        expect((await cache.readOwnedConversation(conversationId, owner, false)).owned).toBe(true);
        expect((await cache.conversationState(conversationId)).owner).toBe(owner);
      }
    });

    it("keeps history in the order the questions were asked, whatever order retried writes land in", async () => {
      const cache = store();
      const conversationId = uniqueId("conv");
      const exchange = (n: number) => ({
        messageId: `msg-${conversationId}-${n}`,
        message: { n },
        conversationId,
        position: 1_700_000_000_000 + n * 1_000,
        turns: [turn("user", `question ${n}`), turn("assistant", `answer ${n}`)],
      });
      // The first write timed out without landing; the second landed; then the first was retried,
      // twice (its first retry's answer was lost too).
      await cache.saveExchange(exchange(2));
      await cache.saveExchange(exchange(1));
      await cache.saveExchange(exchange(1));
      await cache.saveExchange(exchange(3));
      await cache.saveExchange(exchange(2));
      expect(await cache.loadHistory(conversationId)).toEqual([
        turn("user", "question 2"),
        turn("assistant", "answer 2"),
        turn("user", "question 3"),
        turn("assistant", "answer 3"),
      ]);
      const wide = store({ historyTurns: 10 });
      const other = uniqueId("conv");
      for (const n of [3, 1, 2, 1, 3])
        await wide.saveExchange({ ...exchange(n), messageId: `msg-${other}-${n}`, conversationId: other });
      expect((await wide.loadHistory(other)).map((entry) => entry.content)).toEqual([
        "question 1",
        "answer 1",
        "question 2",
        "answer 2",
        "question 3",
        "answer 3",
      ]);
    });

    it("stores nothing more for a conversation once it is marked deleted, retried writes included", async () => {
      const cache = store();
      const conversationId = uniqueId("conv");
      const [first, late] = [uniqueId("msg"), uniqueId("msg")];
      await cache.issueConversation(conversationId, "alice");
      const exchange = (messageId: string) => ({
        messageId,
        message: { messageId },
        metrics: metricsSample,
        conversationId,
        owner: "alice",
        turns: [turn("user", messageId)],
      });
      await cache.saveExchange(exchange(first));

      expect(await cache.markDeleted(conversationId, "alice")).toEqual([first]);
      expect(await cache.isDeleted(conversationId)).toBe(true);
      await cache.deleteConversation(conversationId, [first]);
      await cache.saveExchange(exchange(first));
      await cache.saveExchange(exchange(late));
      await cache.saveMetrics(late, metricsSample, conversationId);
      await cache.releaseConversation(conversationId, "alice");

      for (const messageId of [first, late]) {
        expect(await cache.getMessage(messageId)).toBeNull();
        expect(await cache.getMetrics(messageId)).toBeNull();
      }
      expect(await cache.getConversation(conversationId)).toBeNull();
      expect(await cache.conversationState(conversationId)).toEqual({
        owner: null,
        deletedBy: "alice",
        stored: false,
      });
      expect(await cache.conversationsOf("alice", 100)).not.toContain(conversationId);
      expect(await cache.isDeleted(uniqueId("conv"))).toBe(false);
    });

    it("releases an owner record only when it names the owner asked for", async () => {
      const cache = store();
      const conversationId = uniqueId("conv");
      await cache.issueConversation(conversationId, "alice");
      await cache.releaseConversation(conversationId, "bob");
      expect((await cache.conversationState(conversationId)).owner).toBe("alice");
      await cache.releaseConversation(conversationId, "alice");
      expect((await cache.conversationState(conversationId)).owner).toBeNull();
    });

    it("gives a record saved without an owner (auth off) to no key", async () => {
      const cache = store();
      const messageId = uniqueId("msg");
      await cache.saveExchange({ messageId, message: { text: "open" }, turns: [] });
      expect(await cache.getMessage(messageId)).toEqual({ text: "open" });
      expect(await cache.getMessage(messageId, "alice")).toBeNull();
    });

    it("forgets every kind of record once its TTL (1 s) has passed", async () => {
      const cache = store({ messagesTtlSeconds: 1, metricsTtlSeconds: 1 });
      const messageId = uniqueId("msg");
      const conversationId = uniqueId("conv");
      const textHash = uniqueId("sha256");
      await cache.saveExchange({
        messageId,
        message: { text: "short-lived" },
        metrics: metricsSample,
        conversationId,
        turns: [turn("user", "short-lived")],
      });
      await cache.saveAnalysis(textHash, metricsSample);
      expect(await cache.getMessage(messageId)).not.toBeNull();

      await vi.waitFor(
        async () => {
          expect(await cache.getMessage(messageId)).toBeNull();
          expect(await cache.getMetrics(messageId)).toBeNull();
          expect(await cache.getConversation(conversationId)).toBeNull();
          expect(await cache.getAnalysis(textHash)).toBeNull();
        },
        { timeout: 10_000, interval: 200 },
      );
    });
  });
}
