// Sessions and users recomputed in the engine from the trace rows filed under them (INSERT ...
// SELECT), counting a filed trace only while the trace index still files it there (a late root
// moves a trace to another session: its old filing stops counting). Version: the sum of the
// versions of the rows it read, which only grows as more spans are seen (docs/clickhouse.md).
import { TOKEN_FIELDS } from "./span-rows.ts";

/** Above any span count: a deleted trace's tombstone outranks every row a writer makes (deletion.ts). */
export const TOMBSTONE = 2 ** 40;

const TOKENS = TOKEN_FIELDS.map(([column]) => column);

/** The trace rows filed under the keys {ids}, each with whether the index still files it there. */
const filed = (db: string, table: string, key: string) => `SELECT t.*, i.${key} = t.${key} AS live, i.ver AS iver FROM
    (SELECT * FROM ${db}.${table} FINAL WHERE project = {p:String} AND ${key} IN {ids:Array(String)}) AS t
    LEFT JOIN (SELECT trace_id, ${key}, ver FROM ${db}.trace_index FINAL WHERE project = {p:String} AND trace_id IN
      (SELECT trace_id FROM ${db}.${table} WHERE project = {p:String} AND ${key} IN {ids:Array(String)})) AS i ON i.trace_id = t.trace_id`;

export const recomputeSessions = (db: string) => `INSERT INTO ${db}.sessions
  SELECT project, session_id,
    arraySort(groupUniqArrayIf(user_id, live AND user_id != '')) AS user_ids,
    minIf(start_us, live) AS s, maxIf(end_us, live) AS e, e - s,
    countIf(live), sumIf(span_count, live), sumIf(error_count, live), sumIf(llm_count, live),
    ${TOKENS.map((c) => `sumIf(${c}, live)`).join(", ")}, sumIf(cost, live),
    argMinIf(input, (start_us, trace_id), live AND input IS NOT NULL),
    argMaxIf(output, (end_us, trace_id), live AND output IS NOT NULL),
    arraySort(groupUniqArrayArrayIf(tags, live)), arraySort(groupUniqArrayArrayIf(models, live)),
    sum(ver) + sum(iver), countIf(live) = 0
  FROM (${filed(db, "traces", "session_id")}) GROUP BY project, session_id
  SETTINGS prefer_column_name_to_alias = 1, join_use_nulls = 0`;

export const recomputeUsers = (db: string) => `INSERT INTO ${db}.users
  SELECT project, user_id, minIf(start_us, live), maxIf(end_us, live), uniqExactIf(session_id, live AND session_id != ''),
    countIf(live), sumIf(span_count, live), sumIf(error_count, live),
    ${TOKENS.map((c) => `sumIf(${c}, live)`).join(", ")}, sumIf(cost, live),
    sum(ver) + sum(iver), countIf(live) = 0
  FROM (${filed(db, "user_traces", "user_id")}) GROUP BY project, user_id
  SETTINGS prefer_column_name_to_alias = 1, join_use_nulls = 0`;
