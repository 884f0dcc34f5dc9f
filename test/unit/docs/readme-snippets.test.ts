import { describe, expect, it } from "vitest";
import { readSnippets } from "../../helpers/readme-snippets";
import { outputProblems } from "../../helpers/snippet-runners";

const fence = "```";
const markdown = [
  "Run it:",
  "",
  `${fence}sh`,
  "curl -s http://127.0.0.1:8000/health",
  fence,
  "",
  "<!-- snippet: output; same: status -->",
  `${fence}json`,
  '{ "status": "ok", "version": "0.1.0" }',
  fence,
  "<!-- snippet: skip — needs a Docker engine -->",
  "",
  `${fence}sh`,
  "docker compose up",
  fence,
  `${fence}python`,
  "print('hi')",
  fence,
  "<!-- snippet: continues -->",
  `${fence}sh`,
  "curl -s http://127.0.0.1:8000/models",
  fence,
].join("\n");

describe("the README's code blocks, as the snippet test reads them", () => {
  it("runs shell and TypeScript by default and follows the comment right before a fence", () => {
    expect(readSnippets(markdown).map((snippet) => [snippet.line, snippet.mode])).toEqual([
      [3, { kind: "shell", untilOutput: false }],
      [8, { kind: "output", same: ["status"] }],
      [13, { kind: "skip", reason: "needs a Docker engine" }],
      [16, { kind: "unmarked", problem: expect.stringContaining("README.md:16: a `python` block needs") }],
      [20, { kind: "shell", untilOutput: false }],
    ]);
  });

  it("runs a block that continues another after the last one of its language", () => {
    expect(readSnippets(markdown).at(-1)?.code).toBe(
      "curl -s http://127.0.0.1:8000/health\ncurl -s http://127.0.0.1:8000/models",
    );
  });

  it("compares a sample with the real output by keys, and by value for the keys named", () => {
    const sample = '{ "status": "ok", "version": "0.1.0" }';
    expect(outputProblems(sample, '{"status":"ok","version":"9.9.9"}', ["status"])).toEqual([]);
    expect(outputProblems(sample, '{"status":"down","version":"0.1.0"}', ["status"])).toEqual([
      'the sample\'s "status" is "ok", the real one "down"',
    ]);
    expect(outputProblems(sample, '{"status":"ok"}', [])).toEqual([
      'the sample shows "version": but the real output has none',
    ]);
  });
});
