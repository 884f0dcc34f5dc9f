import { describe, expect, it } from "vitest";
import { analyzeLocally } from "../../../src/analysis/local";
import { NEO_CATEGORY_NAMES } from "../../../src/schemas/metrics";
import { expectWellFormed } from "./well-formed";

const ENGLISH_PARAGRAPH =
  "The council voted on Tuesday to close the old library on Market Street. Residents said they were " +
  "angry, and a petition had already gathered more than two thousand names. The building needs a new roof " +
  "and the heating has failed twice this winter. Officials want to move the books to the community centre, " +
  "which is a bus ride away for most people in the town. A final decision is expected next month.";

describe("analyzeLocally", () => {
  it("gives a text the same metrics whatever was analysed before it", () => {
    const alone = analyzeLocally(ENGLISH_PARAGRAPH);
    analyzeLocally(`${ENGLISH_PARAGRAPH} ${ENGLISH_PARAGRAPH.toUpperCase()} Ça va? 3.14, 2nd (again).`);
    analyzeLocally("");
    expect(analyzeLocally(ENGLISH_PARAGRAPH)).toEqual(alone);
  });

  it("fills all nine Neo categories", () => {
    const metrics = analyzeLocally(ENGLISH_PARAGRAPH);
    expectWellFormed(metrics);
    expect(NEO_CATEGORY_NAMES).toHaveLength(9);
    expect(Object.keys(metrics)).toEqual(expect.arrayContaining([...NEO_CATEGORY_NAMES]));
    expect(metrics.word_count).toBe(72);
    // 72 words is under the detector's reliable minimum (see confidence.ts).
    expect(metrics.low_confidence_reason).toBe("too_short");
    expect(metrics.statistical_metrics?.text_length).toBe(ENGLISH_PARAGRAPH.length);
  });

  it("gives the same answer for the same text every time", () => {
    expect(analyzeLocally(ENGLISH_PARAGRAPH)).toEqual(analyzeLocally(ENGLISH_PARAGRAPH));
  });

  it("scores stock assistant wording as more AI-like than plain reporting", () => {
    const stock =
      "In today's fast-paced world, it is important to note that technology plays a crucial role in " +
      "fostering innovation. Additionally, it is essential to ensure that stakeholders navigate the " +
      "complexities of this ever-evolving landscape. Furthermore, a comprehensive approach can enhance " +
      "collaboration and unlock significant potential. Ultimately, this transformative journey stands as a " +
      "testament to our unwavering commitment to excellence and to a vibrant, sustainable future for all.";
    const stockMetrics = analyzeLocally(stock);
    expect(stockMetrics.ai_signature_analysis?.phrase_density).toBeGreaterThan(0);
    expect(stockMetrics.ai_signature_analysis?.word_density).toBeGreaterThan(0.1);
    expect(stockMetrics.human_likeness_score).toBeLessThan(
      analyzeLocally(ENGLISH_PARAGRAPH).human_likeness_score,
    );
  });

  it.each([
    ["empty text", ""],
    ["one word", "Hello"],
    [
      "no sentence punctuation",
      "just some words typed without any full stop at all and more words after that",
    ],
    ["emoji", "🎉🎉 great news 🚀 we shipped it 😀👍 "],
    ["unicode letters", "Ça va? Naïve café façade — déjà vu, “quoted” text… ½ ∑ 漢字"],
    ["a very long token", `see ${"x".repeat(20_000)} here.`],
    ["only punctuation", "?!... --- ;;; ,,,"],
  ])("stays well-formed for %s", (_, text) => {
    const metrics = analyzeLocally(text);
    expectWellFormed(metrics);
    expect(metrics.low_confidence).toBe(true);
  });

  it("flags short texts as low confidence", () => {
    expect(analyzeLocally("A short reply of a few words.").low_confidence_reason).toBe("too_short");
  });

  it("flags non-English text as low confidence", () => {
    const french =
      "Le conseil municipal a voté mardi la fermeture de la vieille bibliothèque de la rue du Marché. " +
      "Les habitants se sont dits en colère, et une pétition avait déjà recueilli plus de deux mille noms. " +
      "Le bâtiment a besoin d'un nouveau toit et le chauffage est tombé en panne deux fois cet hiver.";
    const russian = "Совет проголосовал во вторник за закрытие старой библиотеки. ".repeat(8);
    for (const text of [french, russian]) {
      const metrics = analyzeLocally(text);
      expectWellFormed(metrics);
      expect(metrics.low_confidence_reason).toBe("not_english");
    }
  });

  it("measures the prose around code blocks and flags code-heavy replies", () => {
    const code = "```ts\nfunction add(a: number, b: number): number {\n  return a + b;\n}\n```\n";
    const mostlyCode = `Here is the function:\n${code.repeat(4)}It adds two numbers.`;
    const metrics = analyzeLocally(mostlyCode);
    expectWellFormed(metrics);
    expect(metrics.low_confidence_reason).toBe("code_heavy");
    expect(metrics.word_count).toBe(8);
  });

  it("treats list items and headings as sentences of their own", () => {
    const list = "# Shopping\n- apples\n- two loaves of bread\n- milk\n1. pay at the till\n2. walk home";
    const metrics = analyzeLocally(list);
    expectWellFormed(metrics);
    // six lines → six sentences; 15 words (the list numbers 1 and 2 count as words)
    expect(metrics.readability_metrics?.avg_words_per_sentence).toBe(2.5);
  });
});
