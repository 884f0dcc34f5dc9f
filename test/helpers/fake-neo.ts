import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import { listenOnLoopback } from "./processes";

/** How the fake answers one request. */
export type FakeNeoBehaviour =
  | { kind: "ok" }
  | { kind: "status"; status: number; headers?: Record<string, string>; body?: string }
  | { kind: "hang" }
  | { kind: "not_json" }
  | { kind: "missing_fields" }
  | { kind: "drop_connection" };

export interface RecordedNeoRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** The shape of the real captured Neo answer (PROTOCOLS.md §1), ids shortened. */
export const CAPTURED_NEO_RESPONSE = {
  analysis_id: "7bf4f560-0000-4000-8000-000000000001",
  text_id: "1f48084c-0000-4000-8000-000000000002",
  is_ai_generated: true,
  threshold: 70.0,
  human_likeness_score: 32.0,
  metrics: {
    text_coherence_complexity: {
      sentence_coherence: 1.0,
      complexity_score: -0.0,
      burstiness: 0.0,
      perplexity: 4.62,
    },
    readability_metrics: {
      flesch_score: 0.9686,
      gunning_fog_score: 0.1,
      smog_score: 0.0,
      avg_words_per_sentence: 2.0,
    },
    vocabulary_lexical_diversity: {
      unique_word_ratio: 0.04,
      lexical_diversity: 0.05,
      rare_word_ratio: 1.0,
      key_term_significance: 0.372,
    },
    topic_modeling_analysis: {
      topic_diversity: 0.2996,
      lda_coverage: 0.0,
      main_topic_likelihood: 0.05,
      topic_variance: 0.0,
    },
    sentiment_subjectivity: {
      sentiment_score: 0.5,
      sentiment_label: "neutral",
      subjectivity_score: 0.0,
      text_similarity: 1.0,
    },
    stylistic_features: { formality: 0.5, passive_voice_ratio: 0.0 },
    statistical_metrics: { repetition_rate: 1.0, text_length: 224, punctuation_density: 1.0 },
    ai_signature_analysis: {
      phrase_density: 0.0,
      bigram_density: 0.0,
      trigram_density: 0.0,
      word_density: 0.0,
    },
    structural_analysis: {
      noun_percentage: 0.5,
      verb_percentage: 0.0,
      adjective_percentage: 0.0,
      adverb_percentage: 0.0,
      entity_count: 25,
      entity_type_distribution: { GPE: 1, ORG: 24 },
    },
  },
  elapsed_time: "0.69 seconds",
};

/** A local stand-in for the Neo API: a real HTTP server on 127.0.0.1 with scripted answers. */
export interface FakeNeo {
  readonly url: string;
  readonly requests: RecordedNeoRequest[];
  /** Answers the next requests with these behaviours in order, then with `ok`. */
  script(...behaviours: FakeNeoBehaviour[]): void;
  close(): Promise<void>;
}

function answer(response: ServerResponse, behaviour: FakeNeoBehaviour): void {
  switch (behaviour.kind) {
    case "ok":
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(CAPTURED_NEO_RESPONSE));
      return;
    case "status":
      response
        .writeHead(behaviour.status, { "content-type": "text/plain", ...behaviour.headers })
        .end(behaviour.body ?? "upstream said no");
      return;
    case "not_json":
      response.writeHead(200, { "content-type": "application/json" }).end("<html>gateway</html>");
      return;
    case "missing_fields": {
      const { human_likeness_score: _dropped, ...rest } = CAPTURED_NEO_RESPONSE;
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(rest));
      return;
    }
    case "drop_connection":
      response.socket?.destroy();
      return;
    case "hang":
      return;
  }
}

/** Starts a fake Neo on a free port; always `close()` it in `afterAll`. */
export async function startFakeNeo(): Promise<FakeNeo> {
  const requests: RecordedNeoRequest[] = [];
  let queue: FakeNeoBehaviour[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      requests.push({
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body: raw === "" ? {} : (JSON.parse(raw) as Record<string, unknown>),
      });
      answer(response, queue.shift() ?? { kind: "ok" });
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    requests,
    script: (...behaviours) => {
      queue = behaviours;
    },
    close,
  };
}
