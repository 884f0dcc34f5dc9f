import { describe, expect, it } from "vitest";
import { conversationScore, withConversationScore } from "../../../src/analysis";
import { analyzeLocally } from "../../../src/analysis/local";

const REPLIES = [
  "Certainly! Regular exercise offers a wide range of benefits for both your body and your mind.",
  "Additionally, staying active can improve your sleep quality and increase your energy levels throughout the day. It's important to find an activity you enjoy.",
  "In conclusion, a holistic approach to health is crucial for long-term success. I hope this helps!",
];
const words = (text: string) => text.split(/\s+/).filter((word) => word !== "").length;

describe("the conversation score", () => {
  it("reads the assistant's replies so far together: more words than any one reply, one verdict for all", () => {
    const score = conversationScore(REPLIES);
    const together = analyzeLocally(REPLIES.join("\n\n"));
    expect(score).toEqual({
      ai_probability: together.ai_probability,
      is_ai_generated: together.is_ai_generated,
      words: together.word_count,
      replies: 3,
    });
    expect(score?.words).toBeGreaterThan(Math.max(...REPLIES.map(words)));
    expect(score?.ai_probability).toBeGreaterThanOrEqual(0);
    expect(score?.ai_probability).toBeLessThanOrEqual(1);
  });

  it("is added to a chat's metrics from the assistant turns before the reply and the reply itself", () => {
    const reply = REPLIES[2] as string;
    const metrics = withConversationScore(
      analyzeLocally(reply),
      [
        { role: "system", content: "Be brief." },
        { role: "user", content: "How do I stay healthy?" },
        { role: "assistant", content: REPLIES[0] as string },
        { role: "user", content: "And?" },
        { role: "assistant", content: REPLIES[1] as string },
        { role: "user", content: "Thanks" },
      ],
      reply,
    );
    expect(metrics?.conversation).toEqual(conversationScore(REPLIES));
    expect(metrics?.human_likeness_score).toBe(analyzeLocally(reply).human_likeness_score);
    expect(withConversationScore(null, [], reply)).toBeNull();
    // A first reply's own score is the conversation's: nothing is added.
    expect(withConversationScore(analyzeLocally(reply), [{ role: "user", content: "Hi" }], reply)).toEqual(
      analyzeLocally(reply),
    );
  });

  it("keeps to the most recent replies of a long conversation", () => {
    const long = Array.from({ length: 400 }, () => REPLIES[1] as string);
    const score = conversationScore(long);
    expect(score?.replies).toBeLessThan(long.length);
    expect(score?.words).toBeLessThan(3_100);
    expect(score?.words).toBeGreaterThanOrEqual(3_000);
  });
});
