import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { CacheEntry, MemoryEntry, VectorStore } from "../../../src/vector";
import { fakeEmbedding } from "../../helpers/fake-embedder";

const MODEL = "fake-embed";
const HOUR_MS = 3_600_000;
const unique = (prefix: string) => `${prefix}-${randomUUID()}`;
const inAnHour = () => new Date(Date.now() + HOUR_MS);

function memory(
  overrides: Partial<MemoryEntry> & { owner: string; conversationId: string; user: string },
): MemoryEntry {
  const { user, ...rest } = overrides;
  const reply = `Noted: ${user}`;
  return {
    messageId: unique("msg"),
    content: `${user}\n${reply}`,
    turns: [
      { role: "user", content: user },
      { role: "assistant", content: reply },
    ],
    embeddingModel: MODEL,
    embedding: fakeEmbedding(user),
    expiresAt: inAnHour(),
    ...rest,
  };
}

function cached(overrides: Partial<CacheEntry> & { owner: string; question: string }): CacheEntry {
  return {
    messageId: unique("msg"),
    conversationId: unique("conv"),
    scope: "groq|openai/gpt-oss-20b|t=0",
    answer: { message: `The answer to: ${overrides.question}`, provider: "groq" },
    embeddingModel: MODEL,
    embedding: fakeEmbedding(overrides.question),
    expiresAt: inAnHour(),
    ...overrides,
  };
}

/**
 * The behaviour every VectorStore must show, run against a store on a migrated database.
 *
 * @example
 * describeVectorStoreContract("pglite over the socket", () => store);
 */
export function describeVectorStoreContract(name: string, getStore: () => VectorStore): void {
  describe(`VectorStore contract: ${name}`, () => {
    const store = () => getStore();

    it("recalls a conversation's entries nearest to the query first, at most k, with cosine similarities", async () => {
      const owner = unique("key");
      const conversationId = unique("conv");
      const topics = [
        "my cat Miso likes tuna and sleeping in the sun",
        "the train to Lyon leaves at nine from platform four",
        "my sister's birthday is on the twelfth of March",
        "the invoice for the roof repair came to 4200 euros",
      ];
      const entries = topics.map((user) => memory({ owner, conversationId, user }));
      for (const entry of entries) await store().saveMemory(entry);

      const matches = await store().nearestMemories({
        owner,
        conversationId,
        embeddingModel: MODEL,
        embedding: fakeEmbedding("what does my cat Miso like to eat?"),
        k: 2,
      });
      expect(matches).toHaveLength(2);
      expect(matches[0]?.messageId).toBe(entries[0]?.messageId);
      expect(matches[0]?.turns).toEqual(entries[0]?.turns);
      expect(matches[0]?.similarity).toBeGreaterThan(0.3);
      expect(matches[0]?.similarity).toBeLessThanOrEqual(1.000001);
      expect(matches[0]?.similarity).toBeGreaterThan(matches[1]?.similarity ?? 1);
      expect(Date.parse(matches[0]?.createdAt ?? "")).not.toBeNaN();
    });

    it("never recalls another conversation's or another owner's entries", async () => {
      const owner = unique("key");
      const conversationId = unique("conv");
      const text = "the secret word is marmalade";
      await store().saveMemory(memory({ owner, conversationId: unique("conv"), user: text }));
      await store().saveMemory(memory({ owner: unique("key"), conversationId, user: text }));
      const own = memory({ owner, conversationId, user: "we talked about the weather in Oslo" });
      await store().saveMemory(own);

      const matches = await store().nearestMemories({
        owner,
        conversationId,
        embeddingModel: MODEL,
        embedding: fakeEmbedding(text),
        k: 5,
      });
      expect(matches.map((match) => match.messageId)).toEqual([own.messageId]);
    });

    it("leaves out the entries it is told to, and replaces an entry saved again under its message id", async () => {
      const owner = unique("key");
      const conversationId = unique("conv");
      const first = memory({ owner, conversationId, user: "lemons are yellow" });
      const second = memory({ owner, conversationId, user: "limes are green" });
      await store().saveMemory(first);
      await store().saveMemory(second);
      await store().saveMemory({
        ...first,
        content: "bananas",
        embedding: fakeEmbedding("bananas are curved"),
      });

      const query = {
        owner,
        conversationId,
        embeddingModel: MODEL,
        embedding: fakeEmbedding("bananas"),
        k: 5,
      };
      const all = await store().nearestMemories(query);
      expect(all.map((match) => match.messageId)).toEqual([first.messageId, second.messageId]);
      const rest = await store().nearestMemories({ ...query, excludeMessageIds: [first.messageId] });
      expect(rest.map((match) => match.messageId)).toEqual([second.messageId]);
    });

    it("hits the cache for a paraphrase within the threshold and misses a different question", async () => {
      const owner = unique("key");
      const entry = cached({ owner, question: "What is the capital of France?" });
      await store().saveCacheEntry(entry);
      const lookup = (question: string) =>
        store().lookupCache({
          owner,
          scope: entry.scope,
          embeddingModel: MODEL,
          embedding: fakeEmbedding(question),
          threshold: 0.9,
        });

      const hit = await lookup("what's the capital of France");
      expect(hit).toMatchObject({
        messageId: entry.messageId,
        conversationId: entry.conversationId,
        question: entry.question,
        answer: entry.answer,
      });
      expect(hit?.similarity).toBeGreaterThanOrEqual(0.9);
      expect(await lookup("What is the capital of Spain?")).toBeNull();
    });

    it("never answers from another owner's, another scope's or another embedding model's cache", async () => {
      const owner = unique("key");
      const question = "How many legs does a spider have?";
      const entry = cached({ owner, question });
      await store().saveCacheEntry(entry);
      const base = {
        owner,
        scope: entry.scope,
        embeddingModel: MODEL,
        embedding: fakeEmbedding(question),
        threshold: 0.5,
      };
      expect(await store().lookupCache(base)).not.toBeNull();
      expect(await store().lookupCache({ ...base, owner: unique("key") })).toBeNull();
      expect(await store().lookupCache({ ...base, scope: "groq|openai/gpt-oss-120b|t=0" })).toBeNull();
      expect(await store().lookupCache({ ...base, embeddingModel: "another-model" })).toBeNull();
    });

    it("keeps vectors of different lengths apart", async () => {
      const owner = unique("key");
      const conversationId = unique("conv");
      const text = "the harbour lights at dusk";
      const short = memory({ owner, conversationId, user: text });
      const long = memory({ owner, conversationId, user: text, embedding: fakeEmbedding(text, 768) });
      await store().saveMemory(short);
      await store().saveMemory(long);
      const query = { owner, conversationId, embeddingModel: MODEL, k: 5 };
      const byLong = await store().nearestMemories({ ...query, embedding: fakeEmbedding(text, 768) });
      expect(byLong.map((match) => match.messageId)).toEqual([long.messageId]);
      expect(byLong[0]?.similarity).toBeCloseTo(1, 5);
    });

    it("never returns expired entries, and deleteExpired removes them a bounded batch at a time", async () => {
      const owner = unique("key");
      const conversationId = unique("conv");
      const text = "an old note about the garden shed";
      const past = new Date(Date.now() - 1_000);
      await store().saveMemory(memory({ owner, conversationId, user: text, expiresAt: past }));
      const expiredCache = cached({ owner, question: text, expiresAt: past });
      await store().saveCacheEntry(expiredCache);

      expect(
        await store().nearestMemories({
          owner,
          conversationId,
          embeddingModel: MODEL,
          embedding: fakeEmbedding(text),
          k: 3,
        }),
      ).toEqual([]);
      expect(
        await store().lookupCache({
          owner,
          scope: expiredCache.scope,
          embeddingModel: MODEL,
          embedding: fakeEmbedding(text),
          threshold: 0.5,
        }),
      ).toBeNull();
      expect(await store().deleteExpired(1)).toBe(1);
      let removed = 1;
      for (
        let batch = await store().deleteExpired(1_000);
        batch > 0;
        batch = await store().deleteExpired(1_000)
      )
        removed += batch;
      expect(removed).toBeGreaterThanOrEqual(2);
      expect(await store().deleteExpired(1_000)).toBe(0);
    });

    it("lists an owner's conversations and deletes every row of one owner, nothing else", async () => {
      const owner = unique("key");
      const other = unique("key");
      const [first, second] = [unique("conv"), unique("conv")];
      await store().saveMemory(memory({ owner, conversationId: first, user: "first note" }));
      await store().saveMemory(memory({ owner, conversationId: second, user: "second note" }));
      await store().saveCacheEntry(cached({ owner, conversationId: second, question: "a question" }));
      await store().saveMemory(memory({ owner: other, conversationId: first, user: "not theirs" }));

      expect((await store().conversationsOf(owner, 10)).sort()).toEqual([first, second].sort());
      expect(await store().conversationsOf(owner, 1)).toHaveLength(1);
      expect(await store().deleteOwner(owner)).toBe(3);
      expect(await store().conversationsOf(owner, 10)).toEqual([]);
      expect(await store().conversationsOf(other, 10)).toEqual([first]);
    });

    it("deletes one owner's conversation, memory and cache rows alike, and nothing else", async () => {
      const owner = unique("key");
      const conversationId = unique("conv");
      const text = "the blue notebook is in the second drawer";
      const memoryRow = memory({ owner, conversationId, user: text });
      await store().saveMemory(memoryRow);
      const cacheRow = cached({ owner, conversationId, question: text });
      await store().saveCacheEntry(cacheRow);
      const otherOwner = unique("key");
      await store().saveMemory(memory({ owner: otherOwner, conversationId, user: text }));

      expect(await store().deleteConversation({ owner: otherOwner, conversationId: unique("conv") })).toEqual(
        [],
      );
      const removed = await store().deleteConversation({ owner, conversationId });
      expect(removed.sort()).toEqual([cacheRow.messageId, memoryRow.messageId].sort());
      const query = { conversationId, embeddingModel: MODEL, embedding: fakeEmbedding(text), k: 3 };
      expect(await store().nearestMemories({ ...query, owner })).toEqual([]);
      expect(
        await store().lookupCache({
          owner,
          scope: cacheRow.scope,
          embeddingModel: MODEL,
          embedding: fakeEmbedding(text),
          threshold: 0.5,
        }),
      ).toBeNull();
      expect(await store().nearestMemories({ ...query, owner: otherOwner })).toHaveLength(1);
    });

    it("reports itself healthy", async () => {
      expect(await store().health()).toEqual({ status: "ok" });
    });
  });
}
