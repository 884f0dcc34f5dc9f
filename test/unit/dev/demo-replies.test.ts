import { describe, expect, it } from "vitest";
import { DEMO_REPLIES } from "../../../scripts/dev/demo-replies";
import { analyzeLocally } from "../../../src/analysis";

describe("the demo provider's canned replies", () => {
  it("get both verdicts from the built-in analyzer: a person's read as human, an assistant's as AI", () => {
    expect(new Set(DEMO_REPLIES.map((reply) => reply.voice))).toEqual(new Set(["person", "assistant"]));
    for (const reply of DEMO_REPLIES) {
      const metrics = analyzeLocally(reply.text);
      expect(metrics.low_confidence, reply.text.slice(0, 40)).toBe(false);
      expect(metrics.is_ai_generated, reply.text.slice(0, 40)).toBe(reply.voice === "assistant");
      // Not "part human, part AI": the demo page should show one clear verdict per reply.
      expect(metrics.mixed ?? false, reply.text.slice(0, 40)).toBe(false);
    }
  });

  it("alternate, so two chats in a row show both", () => {
    for (let turn = 0; turn < DEMO_REPLIES.length; turn++) {
      const next = DEMO_REPLIES[(turn + 1) % DEMO_REPLIES.length];
      expect(next?.voice).not.toBe(DEMO_REPLIES[turn]?.voice);
    }
  });
});
