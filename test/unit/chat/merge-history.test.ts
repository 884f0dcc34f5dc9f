import { describe, expect, it } from "vitest";
import { mergeHistory } from "../../../src/chat/prepare";
import type { ChatTurn } from "../../../src/providers";

const user = (content: string): ChatTurn => ({ role: "user", content });
const assistant = (content: string): ChatTurn => ({ role: "assistant", content });
const [u1, a1, u2, a2, u3, a3] = [
  user("u1"),
  assistant("a1"),
  user("u2"),
  assistant("a2"),
  user("u3"),
  assistant("a3"),
];

describe("a conversation's stored turns and the turns a client sent before its new message", () => {
  it("takes the sent turns alone when they end with everything stored (a client resending it all)", () => {
    expect(mergeHistory([u1, a1, u2, a2], [u1, a1, u2, a2])).toEqual([u1, a1, u2, a2]);
    // The store keeps the last N turns: the client's longer copy is the conversation.
    expect(mergeHistory([u2, a2], [u1, a1, u2, a2])).toEqual([u1, a1, u2, a2]);
  });

  it("takes an overlap once when the sent turns begin where the stored ones end", () => {
    expect(mergeHistory([u1, a1, u2, a2], [u2, a2, u3, a3])).toEqual([u1, a1, u2, a2, u3, a3]);
  });

  it("puts the stored turns first when nothing overlaps, and either side alone as it is", () => {
    expect(mergeHistory([u1, a1], [u3, a3])).toEqual([u1, a1, u3, a3]);
    expect(mergeHistory([], [u1, a1])).toEqual([u1, a1]);
    expect(mergeHistory([u1, a1], [])).toEqual([u1, a1]);
  });

  it("tells turns apart by their tool calls too", () => {
    const call = { id: "call_1", type: "function" as const, function: { name: "f", arguments: "{}" } };
    const calling: ChatTurn = { role: "assistant", content: "", toolCalls: [call] };
    const other: ChatTurn = { role: "assistant", content: "", toolCalls: [{ ...call, id: "call_2" }] };
    expect(mergeHistory([u1, calling], [u1, other])).toEqual([u1, calling, u1, other]);
  });
});
