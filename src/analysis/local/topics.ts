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

const ranksAbove = (a: Term, b: Term) => a.weight > b.weight || (a.weight === b.weight && a.word < b.word);

/** Keeps `top` the `KEY_TERMS` heaviest terms, heaviest first (ties alphabetical). */
function insertRanked(top: Term[], term: Term): void {
  if (top.length === KEY_TERMS && !ranksAbove(term, top[KEY_TERMS - 1] as Term)) return;
  let position = Math.min(top.length, KEY_TERMS - 1);
  while (position > 0 && ranksAbove(term, top[position - 1] as Term)) position -= 1;
  top.splice(position, 0, term);
  if (top.length > KEY_TERMS) top.pop();
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
  const top: Term[] = [];
  let entropy = 0;
  for (const { word, mass } of massByForm.values()) {
    const weight = totalMass === 0 ? 0 : mass / totalMass;
    if (weight > 0) entropy -= weight * Math.log(weight);
    insertRanked(top, { word, weight });
  }
  const mainTopic = top.slice(0, MAIN_TOPIC_TERMS).reduce((sum, { weight }) => sum + weight, 0);
  return {
    topic_diversity: round(massByForm.size < 2 ? 0 : entropy / Math.log(massByForm.size)),
    main_topic_likelihood: round(mainTopic),
    key_terms: top.map(({ word, weight }) => ({ term: word, weight: round(weight) })),
  };
}
