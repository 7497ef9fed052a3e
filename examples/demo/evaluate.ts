// Annotates the demo's sessions through Threadline's API, as a team would: a reviewer's verdict
// on a few (HUMAN) and thumbs on single turns. The automatic evaluations are Threadline's own
// built-in evaluators, which run once each conversation's last turn ends its session.
// Deterministic, so the demo looks the same every time.
import type { Conversation, SessionDetail } from "@threadline/server";

const THANKS = /\b(thanks|thank you|perfect|great|awesome|helps?|works)\b/i;

export async function annotateDemo(endpoint: string, projectName: string, sessionIds: string[]): Promise<number> {
  const api = `${endpoint.replace(/\/+$/, "")}/api/v1/projects/${encodeURIComponent(projectName)}`;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${api}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  };
  let count = 0;
  for (const [i, sessionId] of sessionIds.entries()) {
    const session = (await (await fetch(`${api}/sessions/${encodeURIComponent(sessionId)}`)).json()) as SessionDetail;
    const { turns } = (await (await fetch(`${api}/sessions/${encodeURIComponent(sessionId)}/conversation?limit=100`)).json()) as Conversation;
    const userTexts = turns.flatMap((t) => t.messages.filter((m) => m.role === "user").map((m) => m.content ?? ""));
    const failed = turns.filter((t) => t.status === "ERROR").length;
    const resolved = THANKS.test(userTexts.at(-1) ?? "");

    // A reviewer looked at every fourth session.
    if (i % 4 === 0) {
      await post(`/sessions/${encodeURIComponent(sessionId)}/annotations`, {
        name: "quality",
        score: failed ? 2 : 4 + (i % 8 === 0 ? 1 : 0),
        label: failed ? "needs work" : "good",
        explanation: failed ? "The assistant lost the thread after the provider error." : "Clear, correct answers.",
        identifier: "reviewer@example.com",
      });
      count++;
    }
    // The user rated the last answer.
    const last = session.traces.at(-1);
    if (last && i % 3 !== 2) {
      await post(`/traces/${last.traceId}/annotations`, { name: "thumbs", label: resolved ? "up" : "down", score: resolved ? 1 : 0, annotatorKind: "HUMAN", identifier: session.userIds[0] ?? "" });
      count++;
    }
  }
  return count;
}
