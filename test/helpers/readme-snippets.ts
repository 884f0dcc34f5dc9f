/**
 * The README's code blocks, each with what its test does with it. A block's language decides by
 * default (`sh` runs in bash, `ts`/`js` runs with node); an HTML comment on the line right before
 * the fence decides otherwise:
 *
 * - `<!-- snippet: skip — <why it cannot run here> -->` (the reason is required)
 * - `<!-- snippet: output; same: threshold -->`: sample output of the last block that ran; every
 *   `"key":` and `event: name` in it must appear in that block's real output, and the values of the
 *   keys after `same:` must be equal
 * - `<!-- snippet: paths -->`: a layout listing; the first word of each line must exist in the repository
 * - `<!-- snippet: until output -->`: runs like its language, and passes once it printed a line (for
 *   a client that listens until stopped)
 * - `<!-- snippet: continues -->`: goes on from the last block of its language (uses what that one
 *   set up, say an `openai` client) and runs with it
 * - `<!-- snippet: source -->`: a file to add (its first line names it, `// src/…`), or lines to
 *   put in an existing file; checked by bundling the worker's configuration with it
 *
 * A block in another language without a comment fails its test: a new block is never silently left out.
 */

export type SnippetMode =
  | { kind: "shell"; untilOutput: boolean }
  | { kind: "node"; untilOutput: boolean }
  | { kind: "skip"; reason: string }
  | { kind: "output"; same: string[] }
  | { kind: "paths" }
  | { kind: "source" }
  /** No rule covers the block: its test fails with `problem`. */
  | { kind: "unmarked"; problem: string };

export interface Snippet {
  /** 1-based line of the opening fence, for failure messages. */
  line: number;
  lang: string;
  code: string;
  mode: SnippetMode;
}

const FENCE = /^(`{3,})\s*([\w-]*)/;
const DIRECTIVE = /^<!--\s*snippet:\s*(.*?)\s*-->$/;

/** Every fenced block of `markdown`, with its mode (`unmarked`, saying why, when no rule covers it). */
export function readSnippets(markdown: string): Snippet[] {
  const lines = markdown.split("\n");
  const snippets: Snippet[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE.exec(lines[index] ?? "");
    if (!open) continue;
    const [, fence = "```", lang = ""] = open;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !(lines[end] ?? "").startsWith(fence)) body.push(lines[end++] ?? "");
    let before = index - 1;
    while (before >= 0 && (lines[before] ?? "").trim() === "") before--;
    const directive = DIRECTIVE.exec((lines[before] ?? "").trim())?.[1];
    const mode = modeOf(lang, directive, index + 1);
    let code = body.join("\n");
    if (directive === "continues") {
      const earlier = snippets.findLast(
        (snippet) => snippet.lang === lang && snippet.mode.kind === mode.kind,
      );
      code = earlier ? `${earlier.code}\n${code}` : code;
    }
    snippets.push({ line: index + 1, lang, code, mode });
    index = end;
  }
  return snippets;
}

function modeOf(lang: string, directive: string | undefined, line: number): SnippetMode {
  const runner = /^(sh|bash|shell)$/.test(lang)
    ? "shell"
    : /^(ts|js|typescript|javascript)$/.test(lang)
      ? "node"
      : undefined;
  if (directive === undefined || directive === "until output" || directive === "continues") {
    if (!runner)
      return {
        kind: "unmarked",
        problem: `README.md:${line}: a \`${lang || "plain"}\` block needs a <!-- snippet: … --> comment saying how it is checked`,
      };
    return { kind: runner, untilOutput: directive === "until output" };
  }
  const skip = /^skip\s*[—:-]\s*(.+)$/.exec(directive);
  if (skip?.[1]) return { kind: "skip", reason: skip[1] };
  const output = /^output(?:;\s*same:\s*(.+))?$/.exec(directive);
  if (output) return { kind: "output", same: (output[1] ?? "").split(/\s*,\s*/).filter(Boolean) };
  if (directive === "paths") return { kind: "paths" };
  if (directive === "source") return { kind: "source" };
  return { kind: "unmarked", problem: `README.md:${line}: unknown snippet comment "${directive}"` };
}

/** The `"key":` names and `event: name` lines of a text, for comparing a sample with real output. */
export function shapeOf(text: string): string[] {
  const keys = [...text.matchAll(/"([A-Za-z_][\w]*)"\s*:/g)].map((match) => `"${match[1]}":`);
  const events = [...text.matchAll(/^event: (\w+)/gm)].map((match) => `event: ${match[1]}`);
  return [...new Set([...keys, ...events])];
}

/** The literal value after `"key":` in a text (a number, string, true/false/null), if any. */
export function literalAfter(text: string, key: string): string | undefined {
  return new RegExp(`"${key}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*"|-?[\\d.]+(?:e-?\\d+)?|true|false|null)`).exec(
    text,
  )?.[1];
}
