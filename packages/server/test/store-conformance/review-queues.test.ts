// Review queues: made from sessions in an order, listed with progress, reviewed item by item (the
// reviewer's HUMAN annotation and the item's mark together), deleted.
import assert from "node:assert/strict";
import type { Store } from "../../src/store/store.ts";
import { makeFixture, writeFixture } from "./fixture.ts";
import { conformance, same } from "./harness.ts";
import { model } from "./model.ts";

const fixture = makeFixture("review", 10);
const m = model(fixture.project, fixture.spans);
const P = fixture.project;
const ids = [...m.sessions.keys()].sort();

async function queues(store: Store) {
  const started = Date.now() * 1000;
  const first = await store.createReviewQueue(P, { name: "Frustrated this week", annotation: "review", labels: ["agree", "disagree"], createdBy: "lead", sessionIds: [ids[3], ids[1], ids[2]] });
  const second = await store.createReviewQueue(P, { name: "Empty", annotation: "review-2", labels: [], createdBy: "lead", sessionIds: [] });
  assert.ok(first.createdUs >= started - 1000 && second.createdUs >= first.createdUs, "created now, in order");
  const fields = { label: "agree", score: 1, explanation: "yes", metadata: null };
  const reviewed = [
    await store.reviewItem(P, first.id, 2, "ann", fields),
    await store.reviewItem(P, first.id, 2, "ann", { ...fields, label: "disagree", score: 0 }), // changed their mind: replaced
    await store.reviewItem(P, first.id, 3, "bob", fields),
    await store.reviewItem(P, first.id, 9, "bob", fields),
    await store.reviewItem(P, "no-such-queue", 1, "bob", fields),
  ];
  const got = await store.getReviewQueue(P, first.id);
  const listed = await store.listReviewQueues(P);
  const annotations = await store.listAnnotations(P, { type: "session", sessionId: ids[1] });
  const deleted = [await store.deleteReviewQueue(P, second.id), await store.deleteReviewQueue(P, second.id)];
  const names = new Map([[first.id, "q1"], [second.id, "q2"]]);
  const queue = <T extends { id: string; createdUs: number }>({ id, createdUs: _c, ...rest }: T) => ({ ...rest, id: names.get(id) });
  return {
    created: [queue(first), queue(second)],
    reviewed: reviewed.map((a) => a && { sessionId: a.sessionId, name: a.name, label: a.label, score: a.score, kind: a.annotatorKind, identifier: a.identifier }),
    got: got && { queue: queue(got.queue), items: got.items.map((i) => ({ ...i, reviewedUs: i.reviewedUs != null && i.reviewedUs >= started })) },
    listed: listed.map(queue),
    annotations: annotations.map((a) => [a.name, a.identifier, a.label, a.annotatorKind]),
    deleted,
    gone: [await store.getReviewQueue(P, second.id), (await store.listReviewQueues(P)).length, await store.getReviewQueue(P, "no-such-queue")],
  };
}

conformance("review queues", [{ uses: ["writeSpans"], run: (store) => writeFixture(store, fixture) }], (check) => {
  check("create, review, list and delete queues", ["createReviewQueue", "reviewItem", "getReviewQueue", "listReviewQueues", "deleteReviewQueue", "listAnnotations"], queues, (a) => {
    const q1 = { id: "q1", name: "Frustrated this week", annotation: "review", labels: ["agree", "disagree"], createdBy: "lead", total: 3, reviewed: 0 };
    const q2 = { id: "q2", name: "Empty", annotation: "review-2", labels: [], createdBy: "lead", total: 0, reviewed: 0 };
    const review = (sessionId: string, identifier: string, label: string, score: number) => ({ sessionId, name: "review", label, score, kind: "HUMAN", identifier });
    same(a, {
      created: [q1, q2],
      reviewed: [review(ids[1], "ann", "agree", 1), review(ids[1], "ann", "disagree", 0), review(ids[2], "bob", "agree", 1), null, null],
      got: {
        queue: { ...q1, reviewed: 2 },
        items: [
          { position: 1, sessionId: ids[3], reviewedBy: null, reviewedUs: false },
          { position: 2, sessionId: ids[1], reviewedBy: "ann", reviewedUs: true },
          { position: 3, sessionId: ids[2], reviewedBy: "bob", reviewedUs: true },
        ],
      },
      // Newest first.
      listed: [q2, { ...q1, reviewed: 2 }],
      annotations: [["review", "ann", "disagree", "HUMAN"]],
      deleted: [true, false],
      gone: [null, 1, null],
    });
  });
});
