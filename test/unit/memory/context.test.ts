import { describe, expect, it } from "vitest";
import { isCacheable, RECALLED_HEADER, withRecalled } from "../../../src/memory";
import type { MemoryMatch } from "../../../src/vector";

const exchange = (id: string, user: string, assistant: string, similarity = 0.8): MemoryMatch => ({
  messageId: id,
  turns: [
    { role: "user", content: user },
    { role: "assistant", content: assistant },
  ],
  similarity,
  createdAt: "2026-11-30T10:00:00.000Z",
});

describe("recalled exchanges in the context", () => {
  const history = [
    { role: "user" as const, content: "and the second drawer?" },
    { role: "assistant" as const, content: "Pens." },
  ];

  it("go first, in one system turn marked as recalled, before the recent history", () => {
    const { turns, used } = withRecalled(
      history,
      [exchange("m1", "where is the blue notebook?", "Top drawer.")],
      10_000,
    );
    expect(turns).toHaveLength(3);
    expect(turns[0]?.role).toBe("system");
    expect(turns[0]?.content).toBe(
      `${RECALLED_HEADER}\n\nuser: where is the blue notebook?\nassistant: Top drawer.`,
    );
    expect(turns.slice(1)).toEqual(history);
    expect(used.map((match) => match.messageId)).toEqual(["m1"]);
  });

  it("leave out what the recent history already holds, and what does not fit the budget", () => {
    const repeated = exchange("m1", "and the second drawer?", "Pens.");
    const long = exchange("m2", "x".repeat(500), "y".repeat(500));
    const short = exchange("m3", "the cat?", "Asleep.");
    const { turns, used } = withRecalled(history, [repeated, long, short], 200);
    expect(used.map((match) => match.messageId)).toEqual(["m3"]);
    expect(turns.reduce((sum, turn) => sum + turn.content.length, 0)).toBeLessThanOrEqual(200);
  });

  it("leave the history as it is when nothing is recalled", () => {
    expect(withRecalled(history, [], 10_000)).toEqual({ turns: history, used: [] });
  });
});

describe("which requests the semantic cache may answer", () => {
  it("a stateless question at temperature 0, or at any temperature when asked to", () => {
    expect(isCacheable({ temperature: 0 })).toBe(true);
    expect(isCacheable({ temperature: 0.7, cache: "on" })).toBe(true);
    expect(isCacheable({})).toBe(false);
    expect(isCacheable({ temperature: 0.7 })).toBe(false);
  });

  it("never a conversation, a request with context, or one that says cache off", () => {
    expect(isCacheable({ temperature: 0, conversationId: "conv-1" })).toBe(false);
    expect(isCacheable({ temperature: 0, context: [{ role: "user", content: "hi" }] })).toBe(false);
    expect(isCacheable({ temperature: 0, cache: "off" })).toBe(false);
  });
});
