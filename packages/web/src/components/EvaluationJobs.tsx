// A session's evaluation jobs under its annotations: which evaluator ran on which version of the
// session, how far each got, and why one failed. Without it, an evaluator with no result on a
// session said nothing about why. Folded away unless something failed or is still to come.
import { useQuery } from "@tanstack/react-query";
import { sessionEvaluationsQuery, type EvaluationJob } from "../api/evaluations.ts";
import { formatNumber } from "../lib/format.ts";
import { TimeText } from "./TimeText.tsx";

const STATES: EvaluationJob["state"][] = ["queued", "running", "done", "failed"];

/** "3 done · 1 failed": the jobs by state, in a fixed order. */
function tally(jobs: EvaluationJob[]): string {
  const counts = new Map<string, number>();
  for (const job of jobs) counts.set(job.state, (counts.get(job.state) ?? 0) + 1);
  return STATES.filter((state) => counts.has(state)).map((state) => `${formatNumber(counts.get(state))} ${state}`).join(" · ");
}

export function EvaluationJobs({ project, sessionId }: { project: string; sessionId: string }) {
  const query = useQuery(sessionEvaluationsQuery(project, sessionId));
  const jobs = query.data?.jobs ?? [];
  if (query.isError) return <p className="muted eval-jobs__note">Could not load the evaluation runs: {query.error.message}</p>;
  if (jobs.length === 0) return null;
  const needsLook = jobs.some((job) => job.state === "failed" || job.error != null);
  return (
    <details className="eval-jobs" data-testid="evaluation-jobs" open={needsLook}>
      <summary>
        Evaluation runs <span className="muted">{tally(jobs)}</span>
      </summary>
      <div className="table-wrap">
        <table className="table eval-jobs__table">
          <thead>
            <tr>
              <th>Evaluator</th>
              <th className="num" title="The session's span count when it was evaluated: a new turn makes a new version">Spans</th>
              <th>State</th>
              <th className="num">Attempts</th>
              <th>Finished</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={`${job.evaluator}:${job.version}:${job.runId}`} data-testid="evaluation-job" data-evaluator={job.evaluator} data-state={job.state}>
                <td className="mono">{job.evaluator}</td>
                <td className="num">{formatNumber(job.version)}</td>
                <td>
                  <span className={`badge badge--state eval-jobs__state--${job.state}`}>{job.state}</span>
                  {job.runId && <span className="muted" title={`Asked for by run ${job.runId}`}> re-run</span>}
                </td>
                <td className="num">{formatNumber(job.attempts)}</td>
                <td>
                  <TimeText iso={job.finishedAt} />
                </td>
                <td className="eval-jobs__error" data-testid="evaluation-job-error">
                  {job.error ?? <span className="muted">—</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
