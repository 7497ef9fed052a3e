// The sessions filters by what was said (text) and by a metadata pair, as conditions on the
// sessions rollup. Neither aggregates spans: text finds spans through the spans table's text
// index, metadata finds traces by their pair's key range (migrations/006-search.ts), and both map
// the traces found to sessions by key through trace_index, which also drops a trace's old filing
// once a late root moved it (the same rule the rollups count by). Exact under retries and two
// writers: these read only rows that collapse (spans, pairs) and the index's latest version.
import type { SessionFilter } from "../store.ts";
import type { Params } from "./executor.ts";

export interface SearchTerms {
  /** Words that must all be said in one span (any order). */
  words: string[];
  /** Quoted phrases: their words together, in order, in one span. */
  phrases: string[];
}

/**
 * Text as the text index keeps it and a query looks for it, split into words as SQLite's FTS
 * (unicode61, remove_diacritics) splits them: the index's tokenizer takes any non-ASCII character
 * for part of a word ("24°C" one word) and its lower() is ASCII-only, so outside ASCII accents are
 * folded, letters lowercased and every other character made a space; ASCII is left to the index.
 */
export function foldForSearch(text: string): string {
  // Run by run: 7x faster than folding the whole text when a few words have accents (28 vs 4 µs a span).
  return text.replace(/\P{ASCII}+/gu, (run) => run.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().replace(/[^\p{L}\p{N}\p{ASCII}]/gu, " "));
}

/**
 * What a person typed, split as SQLite's ftsQuery splits it (search-text.ts) so both stores find
 * the same words: even pieces around double quotes are words, odd ones phrases (an unclosed quote
 * runs to the end). Null when there is no word at all: nothing matches.
 */
export function searchTerms(text: string): SearchTerms | null {
  const terms: SearchTerms = { words: [], phrases: [] };
  foldForSearch(text).split('"').forEach((piece, i) => {
    const words = piece.match(/[\p{L}\p{N}_]+/gu) ?? [];
    if (i % 2 === 1 && words.length > 1) terms.phrases.push(words.join(" "));
    // FTS splits "foo_bar" into a phrase of two words; as one hasAllTokens word it would not need them adjacent.
    else for (const word of words) (word.includes("_") ? terms.phrases : terms.words).push(word);
  });
  return terms.words.length || terms.phrases.length ? terms : null;
}

/**
 * The traces whose spans say the terms. hasAllTokens and hasPhrase with a String needle tokenize
 * it with the index's own tokenizer and lowercase it with its preprocessor, so the query's words
 * are the index's words; both read only the granules the text index keeps.
 */
function tracesSaying(db: string, terms: SearchTerms, params: Params): string {
  const checks = ["project = {p:String}"];
  if (terms.words.length) {
    checks.push("hasAllTokens(search_text, {f_words:String})");
    params.f_words = terms.words.join(" ");
  }
  terms.phrases.forEach((phrase, i) => {
    checks.push(`hasPhrase(search_text, {f_phrase${i}:String})`);
    params[`f_phrase${i}`] = phrase;
  });
  return `SELECT DISTINCT trace_id FROM ${db}.spans WHERE ${checks.join(" AND ")}`;
}

/** Adds the text and metadata conditions of the filter to `where` (on the sessions table). */
export function addSearchFilters(filter: SessionFilter, db: string, where: string[], params: Params): void {
  if (filter.text != null) {
    const terms = searchTerms(filter.text);
    if (!terms) {
      where.push("0");
    } else {
      where.push(`session_id IN (SELECT session_id FROM ${db}.trace_index FINAL WHERE project = {p:String} AND session_id != ''
        AND trace_id IN (${tracesSaying(db, terms, params)}))`);
    }
  }
  if (filter.metadata != null) {
    params.f_mkey = filter.metadata.key;
    params.f_mvalue = filter.metadata.value;
    const pairs = `FROM ${db}.trace_metadata WHERE project = {p:String} AND key = {f_mkey:String} AND value = {f_mvalue:String}`;
    // The trace_id IN narrows trace_index to its key ranges; the tuple keeps only current filings.
    where.push(`session_id IN (SELECT session_id FROM ${db}.trace_index FINAL WHERE project = {p:String}
      AND trace_id IN (SELECT trace_id ${pairs}) AND (trace_id, session_id) IN (SELECT trace_id, session_id ${pairs}))`);
  }
}
