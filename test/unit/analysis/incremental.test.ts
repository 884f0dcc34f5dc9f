import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeLocally } from "../../../src/analysis/local";
import { startIncrementalAnalysis } from "../../../src/analysis/local/incremental";
import { tokenize } from "../../../src/analysis/local/tokenize";
import { LONG_REPLY } from "../../helpers/long-reply";

/** Scores after every chunk, as a stream would, and each score beside the one-shot score of that prefix. */
function scoreAsStreamed(chunks: readonly string[]) {
  const analysis = startIncrementalAnalysis();
  let text = "";
  return chunks.map((chunk) => {
    analysis.append(chunk);
    text += chunk;
    return { incremental: analysis.metrics(), oneShot: analyzeLocally(text) };
  });
}

/** Splits `text` at the given cut points (any character positions, mid-word included). */
function cut(text: string, points: readonly number[]): string[] {
  const sorted = [...new Set(points.map((point) => point % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let start = 0;
  for (const point of [...sorted, text.length]) {
    chunks.push(text.slice(start, point));
    start = point;
  }
  return chunks.filter((chunk) => chunk !== "");
}

const TRICKY =
  'Dr. Smith met Mr. J. R. Jones at 3.45 p.m. on the 2nd. Really?! Yes — they\'d "argued" (twice); ' +
  "prices rose 12,5% vs. last year.\n1. First item\n2. Second item\nNo one knew… why. ¿Qué tal? Ça va! " +
  "Don't stop: the end is near... or is it? ";

describe("incremental local analysis", () => {
  it("equals the one-shot analysis of the text so far after every chunk of a streamed reply", () => {
    const chunks = LONG_REPLY.match(/\S+\s+\S+\s*|\S+\s*/g) ?? [];
    for (const { incremental, oneShot } of scoreAsStreamed(chunks)) expect(incremental).toEqual(oneShot);
  });

  it("equals the one-shot analysis whatever the cut points, abbreviations, numbers and lists included", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), (points) => {
        for (const { incremental, oneShot } of scoreAsStreamed(cut(TRICKY.repeat(2), points)))
          expect(incremental).toEqual(oneShot);
      }),
      { numRuns: 60 },
    );
  });

  it("equals the one-shot analysis of arbitrary text in arbitrary chunks", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme", maxLength: 40 }), { maxLength: 12 }), (chunks) => {
        for (const { incremental, oneShot } of scoreAsStreamed(chunks)) expect(incremental).toEqual(oneShot);
      }),
      { numRuns: 150 },
    );
  });

  it("equals the one-shot analysis of a long reply cut anywhere, mid-word and mid-sentence included", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 25 }), (points) => {
        const chunks = cut(LONG_REPLY, points);
        const analysis = startIncrementalAnalysis();
        let text = "";
        for (const chunk of chunks) {
          analysis.append(chunk);
          text += chunk;
          if (chunk.length % 3 === 0) expect(analysis.metrics()).toEqual(analyzeLocally(text));
        }
        expect(analysis.metrics()).toEqual(analyzeLocally(LONG_REPLY));
      }),
      { numRuns: 40 },
    );
  });

  it("keeps each text's analysis apart when several streams interleave", () => {
    const first = startIncrementalAnalysis();
    const second = startIncrementalAnalysis();
    const chunks = cut(LONG_REPLY, [97, 400, 1021, 1500, 2210]);
    const other = cut(TRICKY.repeat(3), [50, 133, 260, 301]);
    let firstText = "";
    let secondText = "";
    for (let index = 0; index < Math.max(chunks.length, other.length); index += 1) {
      first.append(chunks[index] ?? "");
      firstText += chunks[index] ?? "";
      expect(first.metrics()).toEqual(analyzeLocally(firstText));
      second.append(other[index] ?? "");
      secondText += other[index] ?? "";
      expect(second.metrics()).toEqual(analyzeLocally(secondText));
    }
  });

  it("hands its arrays on when released: the next analysis, reusing them, still equals the one-shot one", () => {
    const first = startIncrementalAnalysis();
    for (const chunk of cut(TRICKY.repeat(4), [40, 170, 333])) first.append(chunk);
    first.metrics();
    first.release();
    expect(() => first.metrics()).toThrow(/released/);
    const second = startIncrementalAnalysis();
    let text = "";
    for (const chunk of cut(LONG_REPLY, [61, 640, 1302])) {
      second.append(chunk);
      text += chunk;
      expect(second.metrics()).toEqual(analyzeLocally(text));
    }
    second.release();
  });

  it("falls back to the one-shot analysis once code appears", () => {
    const chunks = ["Here is the fix:\n```ts\nconst a = 1;\n", "```\nIt sets `a` once. ", LONG_REPLY];
    for (const { incremental, oneShot } of scoreAsStreamed(chunks)) expect(incremental).toEqual(oneShot);
  });

  it("keeps tokenize's answer for a whole text unchanged", () => {
    const tokenized = tokenize(TRICKY);
    expect(tokenized.sentences.length).toBeGreaterThan(5);
    expect(tokenized.words).toContain("don't");
  });
});
