import { createServer } from "node:http";
import { json, readBody } from "./fake-llm";
import { listenOnLoopback } from "./processes";

/**
 * A fake embedding server speaking Ollama's `POST /api/embed` and OpenAI's `POST /v1/embeddings`
 * wire formats. Its vectors are deterministic and similar texts get similar vectors: a hashed bag of
 * the text's content words and their character trigrams, L2-normalised (see {@link fakeEmbedding}).
 *
 * The model name picks the length and the behaviour: `<scenario>-<dimensions>` or `<scenario>`
 * (384 dimensions), scenarios `ok` · `broken` (HTTP 500) · `hang` · `not-json` · `short` (one vector too few);
 * any other name answers like `ok`. An OpenAI request's `dimensions` wins over the name.
 * `GET /__calls` answers `{calls, texts}`: requests and texts embedded so far. A request with a text
 * starting with `embed-hold-<key>` is held until `POST /__release/<key>`; `GET /__held/<key>` answers
 * `{held}`, how many such requests are waiting (so a test can act while an embedding is under way).
 */
export interface FakeEmbedder {
  url: string;
  /** `${url}/v1`, the base URL an OpenAI-compatible client takes. */
  openaiBaseUrl: string;
  close(): Promise<void>;
}

export const FAKE_EMBEDDING_DIMENSIONS = 384;

const STOP_WORDS = new Set(
  (
    "a an the is are was were be been am do does did of to in on at for with by from and or but not " +
    "what whats which who how why when where me my i you your we our it its this that these those " +
    "please tell can could would should will just about there here"
  ).split(" "),
);

function fnv1a(text: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Content words of a text: lower case, letters and digits, stop words and apostrophes dropped. */
function contentWords(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/['’]/g, "")
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).filter((word) => !STOP_WORDS.has(word));
}

/**
 * The fake server's vector for `text`: each content word (weight 1) and each of its character
 * trigrams (weight 0.3) adds ±weight to a hashed position; the result has length 1. Texts sharing
 * their content words are near 1 apart in cosine similarity; texts sharing none are near 0.
 */
export function fakeEmbedding(text: string, dimensions = FAKE_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const add = (feature: string, weight: number) => {
    const hash = fnv1a(feature, 0);
    vector[hash % dimensions] = (vector[hash % dimensions] ?? 0) + (fnv1a(feature, 1) & 1 ? weight : -weight);
  };
  for (const word of contentWords(text)) {
    add(`w:${word}`, 1);
    const padded = `^${word}$`;
    for (let index = 0; index + 3 <= padded.length; index++) add(`t:${padded.slice(index, index + 3)}`, 0.3);
  }
  const norm = Math.hypot(...vector);
  if (norm === 0) {
    vector[fnv1a(text, 2) % dimensions] = 1;
    return vector;
  }
  return vector.map((value) => value / norm);
}

/** `<scenario>-<dimensions>` or `<scenario>` (384 dimensions). */
export function parseFakeModel(model: string): { scenario: string; dimensions: number } {
  const match = /^(.*?)-(\d+)$/.exec(model);
  if (match?.[1] && match[2]) return { scenario: match[1], dimensions: Number(match[2]) };
  return { scenario: model, dimensions: FAKE_EMBEDDING_DIMENSIONS };
}

export async function startFakeEmbedder(): Promise<FakeEmbedder> {
  const totals = { calls: 0, texts: 0 };
  const held = new Map<string, Array<() => void>>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    if (req.method === "GET" && url.pathname === "/__calls") return json(res, 200, totals);
    if (req.method === "GET" && url.pathname.startsWith("/__held/"))
      return json(res, 200, { held: held.get(url.pathname.slice("/__held/".length))?.length ?? 0 });
    if (req.method === "POST" && url.pathname.startsWith("/__release/")) {
      const key = url.pathname.slice("/__release/".length);
      for (const release of held.get(key) ?? []) release();
      return json(res, 200, { released: held.delete(key) });
    }
    const flavour =
      url.pathname === "/api/embed" ? "ollama" : url.pathname === "/v1/embeddings" ? "openai" : null;
    if (req.method !== "POST" || !flavour) return json(res, 404, { error: "not found" });

    const body = JSON.parse(await readBody(req)) as {
      model?: string;
      input?: string | string[];
      dimensions?: number;
    };
    const model = body.model ?? "";
    const texts = typeof body.input === "string" ? [body.input] : (body.input ?? []);
    const { scenario, dimensions: byName } = parseFakeModel(model);
    const dimensions = flavour === "openai" && body.dimensions ? body.dimensions : byName;
    totals.calls++;
    totals.texts += texts.length;
    const hold = texts.map((text) => /^embed-hold-([\w-]+)/.exec(text)?.[1]).find(Boolean);
    if (hold) await new Promise<void>((resolve) => held.set(hold, [...(held.get(hold) ?? []), resolve]));

    if (scenario === "hang") return;
    if (scenario === "broken") {
      return flavour === "ollama"
        ? json(res, 500, { error: "llama runner process has terminated" })
        : json(res, 500, {
            error: { message: "internal error", type: "server_error", param: null, code: null },
          });
    }
    if (scenario === "not-json") {
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end("<html>oops</html>");
    }
    const vectors = texts.map((text) => fakeEmbedding(text, dimensions));
    if (scenario === "short") vectors.pop();
    const tokens = texts.reduce((sum, text) => sum + contentWords(text).length + 1, 0);
    if (flavour === "ollama") {
      return json(res, 200, {
        model,
        embeddings: vectors,
        total_duration: 14143917,
        load_duration: 1019500,
        prompt_eval_count: tokens,
      });
    }
    return json(res, 200, {
      object: "list",
      data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding })),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, openaiBaseUrl: `${url}/v1`, close };
}
