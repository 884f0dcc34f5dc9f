import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeLocally } from "../../../src/analysis/local";
import { startIncrementalAnalysis } from "../../../src/analysis/local/incremental";

const slices = (text: string) =>
  (analyzeLocally(text).sentences ?? []).map(({ start, end }) => text.slice(start, end));

const HUMAN =
  "The bus was late, so I walked. It rained. By the time I got to Mum's the soup had gone cold and she'd started on the crossword without me, which she says is my fault for living so far out. We argued about seven down for ten minutes. She was right, of course.";
const AI =
  "Firstly, regular exercise plays a crucial role in maintaining overall health and well-being. Moreover, it is essential to ensure a balanced diet that provides a wide range of nutrients. Furthermore, adequate sleep is vital for cognitive function and emotional resilience. Additionally, managing stress through mindfulness can significantly enhance your quality of life. In conclusion, a holistic approach to health is crucial for long-term success.";

describe("sentence scores", () => {
  it("give offsets that slice the original text, with emoji, CRLF, quotes and abbreviations", () => {
    const text =
      'He said "see you at 5." Then he left 😀 in a hurry.\r\nMr. Smith waved 👋🏽 from the café!\r\n\r\n  Was it Dr. Jones? Nobody knows';
    expect(slices(text)).toEqual([
      'He said "see you at 5."',
      "Then he left 😀 in a hurry.",
      "Mr. Smith waved 👋🏽 from the café!",
      "Was it Dr. Jones?",
      "Nobody knows",
    ]);
    for (const sentence of analyzeLocally(text).sentences ?? []) {
      expect(sentence.ai_probability).toBeGreaterThanOrEqual(0);
      expect(sentence.ai_probability).toBeLessThanOrEqual(1);
    }
  });

  it("slice every sentence back out of any text joined with spaces, CRLF or blank lines", () => {
    const sentence = fc
      .tuple(
        fc.constantFrom("The", "My", "Our", "Émile's", "😀 The"),
        fc.array(
          fc.constantFrom("cat", "old", "naïve", "river", "🚀", "42", "walked", "(quietly)", "home,"),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        fc.constantFrom(".", "!", "?", "?!", '."'),
      )
      .map(([first, rest, end]) => `${first} ${rest.join(" ")}${end}`);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(sentence, fc.constantFrom(" ", "\r\n", "\n\n", "  ", "\r\n\r\n")), {
          minLength: 1,
          maxLength: 12,
        }),
        (parts) => {
          const text = parts.map(([part, separator]) => part + separator).join("");
          expect(slices(text)).toEqual(parts.map(([part]) => part));
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it("are the same when the text arrives in pieces", () => {
    const text = `${HUMAN}\r\n\r\n${AI} 😀 Done.`;
    const analysis = startIncrementalAnalysis();
    for (let start = 0; start < text.length; start += 7) analysis.append(text.slice(start, start + 7));
    expect(analysis.metrics().sentences).toEqual(analyzeLocally(text).sentences);
    analysis.release();
  });

  it("are left out when code spans were taken out of the text (their offsets would not point into it)", () => {
    const metrics = analyzeLocally(`${HUMAN} Run \`npm test\` to check.`);
    expect(metrics).not.toHaveProperty("sentences");
    expect(metrics).not.toHaveProperty("mixed");
  });
});

describe("the mixed verdict", () => {
  it("is given to a human paragraph followed by an AI one, and to the reverse", () => {
    for (const [first, second] of [
      [HUMAN, AI],
      [AI, HUMAN],
    ] as const) {
      const text = `${first} ${second}`;
      const metrics = analyzeLocally(text);
      expect(metrics.mixed).toBe(true);
      const sentences = metrics.sentences ?? [];
      const mean = (part: string) => {
        const inPart = sentences.filter(({ start, end }) => part.includes(text.slice(start, end)));
        return inPart.reduce((sum, { ai_probability }) => sum + ai_probability, 0) / inPart.length;
      };
      expect(mean(AI)).toBeGreaterThan(mean(HUMAN));
    }
  });

  it("is not given to either paragraph alone", () => {
    expect(analyzeLocally(HUMAN).mixed).toBe(false);
    expect(analyzeLocally(AI).mixed).toBe(false);
  });
});
