/** User ids of a session: the first one or two, then "+N". */
export function UserList({ userIds, max = 2 }: { userIds: readonly string[]; max?: number }) {
  if (userIds.length === 0) return <span className="muted">—</span>;
  const shown = userIds.slice(0, max);
  const rest = userIds.length - shown.length;
  return (
    <span className="user-list" title={userIds.join(", ")}>
      {shown.join(", ")}
      {rest > 0 && <span className="muted"> +{rest}</span>}
    </span>
  );
}
