import type { TraceSummary } from "../api/types.ts";
import { Turn } from "./Turn.tsx";

/** The session's turns in time order, as a chat. */
export function Conversation({ project, traces }: { project: string; traces: TraceSummary[] }) {
  return (
    <ol className="conversation" aria-label="Conversation">
      {traces.map((trace, index) => (
        <Turn key={trace.traceId} project={project} trace={trace} index={index} />
      ))}
    </ol>
  );
}
