import type { Metrics } from "../../schemas/metrics";
import { round } from "./round";
import type { TokenizedText } from "./tokenize";

type TopicModelingAnalysis = NonNullable<Metrics["topic_modeling_analysis"]>;

const KEY_TERMS = 8;
const MAIN_TOPIC_TERMS = 5;

interface Term {
  /** The first spelling met of the term's content form. */
  readonly word: string;
  readonly weight: number;
}

/**
 * Key terms by TF-IDF against the shipped English frequency table: a content form's occurrences
 * times the surprisal (−ln p) of its word in SUBTLEX-US, so rare words that recur rank first.
 * Weights are shares of the text's total TF-IDF mass. `main_topic_likelihood` is the share held by
 * the top five terms (topic concentration); `topic_diversity` is the normalized entropy of the mass.
 */
export function topicModelingAnalysis(text: TokenizedText): TopicModelingAnalysis {
  const { ids, facts } = text.indexed;
  const occurrences = new Uint32Array(facts.length);
  const spelling: string[] = new Array(facts.length);
  for (let index = 0; index < ids.length; index += 1) {
    const id = ids[index] as number;
    if (occurrences[id] === 0) spelling[id] = text.words[index] as string;
    occurrences[id] = (occurrences[id] as number) + 1;
  }
  const massByForm = new Map<string, { word: string; mass: number }>();
  let totalMass = 0;
  for (let id = 0; id < facts.length; id += 1) {
    const wordFacts = facts[id];
    const form = wordFacts?.contentForm;
    if (wordFacts === undefined || form === undefined || !wordFacts.startsWithLetter || form.length < 2)
      continue;
    const mass = (occurrences[id] as number) * wordFacts.surprisal;
    const term = massByForm.get(form);
    if (term === undefined) massByForm.set(form, { word: spelling[id] as string, mass });
    else term.mass += mass;
    totalMass += mass;
  }
  const terms: Term[] = [...massByForm.values()]
    .map(({ word, mass }) => ({ word, weight: totalMass === 0 ? 0 : mass / totalMass }))
    .sort((a, b) => b.weight - a.weight || (a.word < b.word ? -1 : 1));
  let entropy = 0;
  for (const { weight } of terms) if (weight > 0) entropy -= weight * Math.log(weight);
  const mainTopic = terms.slice(0, MAIN_TOPIC_TERMS).reduce((sum, { weight }) => sum + weight, 0);
  return {
    topic_diversity: round(terms.length < 2 ? 0 : entropy / Math.log(terms.length)),
    main_topic_likelihood: round(mainTopic),
    key_terms: terms.slice(0, KEY_TERMS).map(({ word, weight }) => ({ term: word, weight: round(weight) })),
  };
}
