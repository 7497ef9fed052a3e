import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { EvaluationRunRequest } from "../../../server/src/api/evaluation-types.ts";
import { evaluationApi } from "../api/evaluations.ts";
import { errorMessage } from "./states.tsx";

/** Runs the evaluators again on a session or on the sessions a filter keeps, showing the run's progress. */
export function ReevaluateButton({ project, request, label }: { project: string; request: EvaluationRunRequest; label: string }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    try {
      const started = await evaluationApi.start(project, request);
      let progress = started;
      setStatus(`Evaluating… 0 of ${started.total}`);
      while (progress.done + progress.failed < progress.total) {
        await new Promise((resolve) => setTimeout(resolve, 700));
        progress = await evaluationApi.progress(project, started.runId);
        setStatus(`Evaluating… ${progress.done + progress.failed} of ${progress.total}`);
      }
      setStatus(`Evaluated ${started.sessions} session${started.sessions === 1 ? "" : "s"}${progress.failed ? `, ${progress.failed} evaluations failed` : ""}`);
      await queryClient.invalidateQueries({ queryKey: ["projects", project] });
    } catch (error) {
      setStatus(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="reevaluate">
      <button type="button" className="button" onClick={() => void run()} disabled={busy} data-testid="reevaluate">
        {label}
      </button>
      {status && <span className="muted small" role="status" data-testid="reevaluate-status">{status}</span>}
    </span>
  );
}
