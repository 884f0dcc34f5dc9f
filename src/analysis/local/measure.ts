import { burstiness, CoherenceTally, meanAndDeviation } from "./coherence";
import { NgramScorer } from "./ngrams";
import type { LexicalEntry } from "./part-of-speech";
import { type ReadabilityScores, readabilityFromCounts } from "./readability";
import { RhythmTally, type SentenceRhythm } from "./rhythm";
import { SentimentTally } from "./sentiment";
import { type SignatureDensities, SignatureTally, stockPhrasesEndingWith } from "./signature";
import { StructureTally } from "./structure";
import { formality, PassiveTally } from "./style";
import type { SentenceSpan, TokenizedText } from "./tokenize";
import { TopicTally } from "./topics";
import { UndoLog, withRoom, withRoomFloat } from "./undo-log";
import { VocabularyTally } from "./vocabulary";
import { countedLength, WordBit } from "./word-facts";
import { StringNumbering } from "./word-hash";
import type { IndexedWords } from "./word-index";

/** Every number the local analyzer derives from a tokenized text, before any scoring. */
export interface TextMeasurements {
  wordCount: number;
  sentenceCount: number;
  characterCount: number;
  readability: ReadabilityScores;
  sentenceCoherence: number | undefined;
  burstiness: number;
  /** exp(mean surprisal): unigram perplexity under the English frequency model. */
  perplexity: number;
  meanSurprisal: number;
  surprisalDeviation: number;
  typeTokenRatio: number;
  movingAverageTypeTokenRatio: number;
  mtld: number;
  rareWordRatio: number;
  keyTermSignificance: number;
  /** Share of word bigrams that already occurred earlier in the text, 0–1. */
  repetitionRate: number;
  /** Punctuation marks per word. */
  punctuationDensity: number;
  stopWordRatio: number;
  commaRate: number;
  quoteRate: number;
  dashAndParenthesisRate: number;
  questionAndExclamationRate: number;
  contractionRate: number;
  numberRate: number;
  /** Capitalized words not opening a sentence, per word (names, places, titles). */
  capitalizedRate: number;
  conversationalOpenerRate: number;
  longWordRate: number;
  meanWordLength: number;
  passiveVoiceRatio: number;
  formality: number;
  signature: SignatureDensities;
  /** Different punctuation marks / √(punctuation marks). */
  punctuationVariety: number;
  firstPersonRate: number;
  /** Share of words among the ~250 most frequent English words. */
  veryCommonWordRate: number;
  rhythm: SentenceRhythm;
}

/** Counts summed word by word, and where the tally stands in the tokenized text. */
function startingCounts(surprisals = new Float64Array(256)) {
  return {
    words: 0,
    sentences: 0,
    sentenceStart: 0,
    distinctWords: 0,
    /** Content forms numbered, and words listed in `#termWords`. */
    forms: 0,
    termWords: 0,
    syllables: 0,
    polysyllables: 0,
    characters: 0,
    stopWords: 0,
    contractions: 0,
    numbers: 0,
    capitalizedInside: 0,
    openers: 0,
    longWords: 0,
    firstPerson: 0,
    veryCommon: 0,
    informalMarkers: 0,
    alphabetic: 0,
    rare: 0,
    /** Surprisal of each word that is not a number, in reading order. */
    surprisals,
    surprisalCount: 0,
  };
}

type Counts = ReturnType<typeof startingCounts>;

/** What `record` keeps to go back to. */
interface Saved {
  counts: Counts;
  vocabulary: VocabularyTally["state"];
  coherence: CoherenceTally["state"];
  rhythm: RhythmTally["state"];
  topics: TopicTally["state"];
  sentiment: SentimentTally["state"];
  structure: StructureTally["state"];
  signature: SignatureTally["state"];
  passive: PassiveTally["state"];
}

/**
 * Measures a tokenized text that may grow: `advance` reads the words and sentences added since the
 * last call into running sums, and `measurements` derives every number from the sums. A provisional
 * end can be read after `record` and forgotten with `undo`. `measureText` is one `advance` of a
 * whole text, so the two agree by construction.
 */
export class TextTally {
  readonly #log = new UndoLog();
  #counts = startingCounts();
  readonly #vocabulary = new VocabularyTally(this.#log);
  readonly #coherence = new CoherenceTally(this.#log);
  readonly #rhythm = new RhythmTally(this.#log);
  readonly #topics = new TopicTally(this.#log);
  readonly #sentiment = new SentimentTally();
  readonly #structure = new StructureTally();
  readonly #signature = new SignatureTally();
  readonly #passive = new PassiveTally();
  readonly #ngrams: NgramScorer | undefined;
  /** Content form id of each distinct word (−1 for none), and the forms by id. */
  #formOfWord = new Int32Array(256);
  /** The ids of the distinct words that may be key terms (see `TopicTally.result`), ascending. */
  #termWords = new Int32Array(256);
  readonly #forms = new StringNumbering();
  #saved: Saved | undefined;

  /** With `ngramTable`, also scores the text's skeleton n-grams (see `ngramLogOdds`). */
  constructor(ngramTable?: Readonly<Record<string, number>>) {
    this.#ngrams = ngramTable === undefined ? undefined : new NgramScorer(ngramTable);
  }

  /** Reads what `text` holds beyond the last `advance`; `complete` once nothing more will follow it. */
  advance(text: TokenizedText, complete: boolean): void {
    this.#numberForms(text.indexed);
    const progress = this.#counts;
    const { sentences } = text;
    while (progress.sentences < sentences.length) {
      const sentence = sentences[progress.sentences] as SentenceSpan;
      this.#readWords(text, sentence.end);
      this.#closeSentence(sentence);
      progress.sentences += 1;
    }
    this.#readWords(text, text.words.length);
    const { skeleton } = text;
    this.#ngrams?.advance(skeleton, complete ? skeleton.length : skeleton.length - 2);
  }

  /** Numbers the content forms of the distinct words added since the last `advance`. */
  #numberForms({ words, contentForm, formHash, bits }: IndexedWords): void {
    const counts = this.#counts;
    const forms = this.#forms;
    this.#formOfWord = withRoom(this.#formOfWord, words.length);
    for (let id = counts.distinctWords; id < words.length; id += 1) {
      const form = contentForm[id];
      let formId = -1;
      if (form !== undefined) {
        formId = forms.numberOf(form, formHash[id] as number);
        if (formId === counts.forms) counts.forms += 1;
        if (form.length >= 2 && ((bits[id] as number) & WordBit.startsWithLetter) !== 0) {
          this.#termWords = withRoom(this.#termWords, counts.termWords + 1);
          this.#termWords[counts.termWords] = id;
          counts.termWords += 1;
        }
      }
      this.#formOfWord[id] = formId;
    }
    counts.distinctWords = words.length;
    this.#vocabulary.reserve(words.length, counts.forms);
    this.#coherence.reserve(counts.forms);
    this.#rhythm.reserve(words.length);
    this.#topics.reserve(words.length);
  }

  #readWords(text: TokenizedText, until: number): void {
    const { words, capitalized } = text;
    const { ids, bits, syllables, surprisal, valence, lexical } = text.indexed;
    const counts = this.#counts;
    const formOfWord = this.#formOfWord;
    counts.surprisals = withRoomFloat(counts.surprisals, counts.surprisalCount + until - counts.words);
    for (let index = counts.words; index < until; index += 1) {
      const id = ids[index] as number;
      const wordBits = bits[id] as number;
      const opensSentence = index === counts.sentenceStart;
      counts.syllables += syllables[id] as number;
      counts.polysyllables += (wordBits & WordBit.polysyllabic) === 0 ? 0 : 1;
      counts.characters += countedLength(wordBits);
      counts.longWords += (wordBits & WordBit.long) === 0 ? 0 : 1;
      counts.stopWords += (wordBits & WordBit.stopWord) === 0 ? 0 : 1;
      counts.contractions += (wordBits & WordBit.contraction) === 0 ? 0 : 1;
      counts.firstPerson += (wordBits & WordBit.firstPerson) === 0 ? 0 : 1;
      counts.veryCommon += (wordBits & WordBit.veryCommon) === 0 ? 0 : 1;
      counts.informalMarkers += (wordBits & WordBit.informalMarker) === 0 ? 0 : 1;
      if ((wordBits & WordBit.startsWithLetter) !== 0) {
        counts.alphabetic += 1;
        counts.rare += (wordBits & WordBit.rare) === 0 ? 0 : 1;
      }
      const isNumber = (wordBits & WordBit.number) !== 0;
      const wordSurprisal = surprisal[id] as number;
      if (isNumber) {
        counts.numbers += 1;
      } else {
        counts.surprisals[counts.surprisalCount] = wordSurprisal;
        counts.surprisalCount += 1;
      }
      const isCapitalized = capitalized[index] === true;
      if (opensSentence) {
        if ((wordBits & WordBit.conversationalOpener) !== 0) counts.openers += 1;
      } else if (isCapitalized) {
        counts.capitalizedInside += 1;
      }
      const formId = formOfWord[id] as number;
      this.#rhythm.word(id, isNumber ? Number.NaN : wordSurprisal, opensSentence);
      this.#vocabulary.word(ids, id, formId);
      this.#coherence.word(formId);
      this.#topics.word(id);
      this.#sentiment.word(index, (wordBits & WordBit.negates) !== 0, valence[id] as number);
      this.#structure.word(words[index] as string, lexical[id] as LexicalEntry, isCapitalized, opensSentence);
      this.#signature.word(
        words,
        index,
        (wordBits & WordBit.stockWord) !== 0,
        (wordBits & WordBit.opensStockNgram) !== 0,
        (wordBits & WordBit.endsStockPhrase) === 0
          ? undefined
          : stockPhrasesEndingWith(words[index] as string),
        opensSentence,
      );
      this.#passive.word(
        (wordBits & WordBit.beForm) !== 0,
        (wordBits & WordBit.participle) !== 0,
        (wordBits & WordBit.mayInterruptPassive) !== 0,
      );
    }
    counts.words = Math.max(counts.words, until);
  }

  #closeSentence({ start, end }: SentenceSpan): void {
    this.#rhythm.closeSentence(end - start);
    this.#coherence.closeSentence(start, end);
    this.#sentiment.closeSentence();
    this.#structure.closeSentence();
    this.#passive.closeSentence();
    this.#counts.sentenceStart = end;
  }

  /** Back to an empty text, keeping the arrays for the next one. */
  clear(): void {
    this.#counts = startingCounts(this.#counts.surprisals);
    this.#vocabulary.clear();
    this.#coherence.clear();
    this.#rhythm.clear();
    this.#topics.clear();
    this.#sentiment.clear();
    this.#structure.clear();
    this.#signature.clear();
    this.#passive.clear();
    this.#ngrams?.clear();
    this.#forms.clear();
  }

  /** Starts reading a provisional end, forgotten by `undo`. */
  record(): void {
    this.#saved = {
      counts: { ...this.#counts },
      vocabulary: this.#vocabulary.save(),
      coherence: this.#coherence.save(),
      rhythm: this.#rhythm.save(),
      topics: this.#topics.save(),
      sentiment: this.#sentiment.save(),
      structure: this.#structure.save(),
      signature: this.#signature.save(),
      passive: this.#passive.save(),
    };
    this.#log.record();
    this.#ngrams?.record();
  }

  undo(): void {
    const saved = this.#saved;
    if (saved === undefined) return;
    this.#log.undo();
    this.#ngrams?.undo();
    this.#counts = saved.counts;
    this.#vocabulary.restore(saved.vocabulary);
    this.#coherence.state = saved.coherence;
    this.#rhythm.state = saved.rhythm;
    this.#topics.state = saved.topics;
    this.#sentiment.state = saved.sentiment;
    this.#structure.state = saved.structure;
    this.#signature.state = saved.signature;
    this.#passive.state = saved.passive;
    this.#saved = undefined;
    this.#forms.truncate(this.#counts.forms);
  }

  /** Words among the ~250 most frequent English words. */
  get veryCommonWords(): number {
    return this.#counts.veryCommon;
  }

  /** Naive-Bayes evidence of the skeleton n-grams, with an n-gram table (see the constructor). */
  ngramLogOdds(text: TokenizedText): number {
    return this.#ngrams?.logOdds(text.skeleton.length) ?? 0;
  }

  topics(text: TokenizedText) {
    const { forms, termWords } = this.#counts;
    return this.#topics.result(text.indexed, this.#formOfWord, forms, this.#termWords, termWords);
  }

  sentiment(text: TokenizedText) {
    return this.#sentiment.result(text.words.length);
  }

  structure(text: TokenizedText) {
    return this.#structure.result(text.words.length, text.sentences.length);
  }

  /** Readability, vocabulary, coherence, statistics, style and AI signature of the text read. */
  measurements(text: TokenizedText): TextMeasurements {
    const { words, sentences, punctuation, indexed } = text;
    const counts = this.#counts;
    const wordCount = words.length;
    const perWord = (count: number) => (wordCount === 0 ? 0 : count / wordCount);
    const surprisal = meanAndDeviation(counts.surprisals.subarray(0, counts.surprisalCount));
    return {
      wordCount,
      sentenceCount: sentences.length,
      characterCount: text.characterCount,
      readability: readabilityFromCounts({
        words: wordCount,
        sentences: sentences.length,
        syllables: counts.syllables,
        polysyllables: counts.polysyllables,
        characters: counts.characters,
      }),
      sentenceCoherence: this.#coherence.result(),
      burstiness: burstiness(this.#rhythm.sentenceLengths()),
      perplexity: Math.exp(surprisal.mean),
      meanSurprisal: surprisal.mean,
      surprisalDeviation: surprisal.deviation,
      typeTokenRatio: wordCount === 0 ? 0 : indexed.words.length / wordCount,
      movingAverageTypeTokenRatio: this.#vocabulary.movingAverageTypeTokenRatio(indexed.words.length),
      mtld: this.#vocabulary.mtld(indexed),
      rareWordRatio: counts.alphabetic === 0 ? 0 : counts.rare / counts.alphabetic,
      keyTermSignificance: this.#vocabulary.keyTermSignificance(),
      repetitionRate: this.#vocabulary.repetitionRate(),
      punctuationDensity: perWord(punctuation.total),
      stopWordRatio: perWord(counts.stopWords),
      commaRate: perWord(punctuation.commas),
      quoteRate: perWord(punctuation.quotes),
      dashAndParenthesisRate: perWord(
        punctuation.dashes + punctuation.parentheses + punctuation.semicolonsAndColons,
      ),
      questionAndExclamationRate: perWord(punctuation.questionMarks + punctuation.exclamationMarks),
      contractionRate: perWord(counts.contractions),
      numberRate: perWord(counts.numbers),
      capitalizedRate: perWord(counts.capitalizedInside),
      conversationalOpenerRate: sentences.length === 0 ? 0 : counts.openers / sentences.length,
      longWordRate: perWord(counts.longWords),
      meanWordLength: perWord(counts.characters),
      passiveVoiceRatio: this.#passive.ratio(sentences.length),
      formality: formality(punctuation.exclamationMarks + counts.informalMarkers, wordCount),
      signature: this.#signature.result(wordCount, sentences.length),
      punctuationVariety: punctuation.total === 0 ? 0 : punctuation.kinds / Math.sqrt(punctuation.total),
      firstPersonRate: perWord(counts.firstPerson),
      veryCommonWordRate: perWord(counts.veryCommon),
      rhythm: this.#rhythm.result(),
    };
  }
}

/** Measures a tokenized text: readability, vocabulary, coherence, statistics, style, AI signature. */
export function measureText(text: TokenizedText): TextMeasurements {
  const tally = new TextTally();
  tally.advance(text, true);
  return tally.measurements(text);
}
