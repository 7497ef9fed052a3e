// A session's state holds while it has the same turns (trace count), not the same version: a late
// span of a turn the session has (a child exported after its root closed the session) no longer
// reopens it; only a new turn does, as on SQLite. Rows that held when this step ran are given the
// trace count they held at; the others never held again anyway.
export default {
  version: 7,
  name: "state-by-turns",
  statements: (database: string, onCluster: string) => {
    const tables = onCluster ? ["session_states_local", "session_states"] : ["session_states"];
    return [
      ...tables.map((t) => `ALTER TABLE ${database}.${t}${onCluster} ADD COLUMN IF NOT EXISTS as_of_traces UInt32 DEFAULT 0`),
      // Same row version, inserted later: the row that replaces the old one. Running it again writes the same rows.
      `INSERT INTO ${database}.session_states (project, session_id, state, as_of_ver, changed_us, ver, as_of_traces)
        SELECT st.project, st.session_id, st.state, st.as_of_ver, st.changed_us, st.ver, s.trace_count
        FROM (SELECT * FROM ${database}.session_states FINAL) AS st
        JOIN (SELECT project, session_id, ver, trace_count FROM ${database}.sessions FINAL WHERE deleted = 0) AS s
          ON s.project = st.project AND s.session_id = st.session_id AND s.ver = st.as_of_ver`,
    ];
  },
};
