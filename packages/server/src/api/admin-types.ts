// What the administrative routes answer and accept: deletion, who is asking, accounts, keys.
import { Type, type Static } from "typebox";

export const Deleted = Type.Object({
  traces: Type.Integer({ description: "Traces deleted, with all their spans" }),
  spans: Type.Integer(),
  sessions: Type.Integer({ description: "Sessions left with no trace, and so deleted" }),
  annotations: Type.Integer({ description: "Annotations and evaluations deleted with them" }),
});
export type Deleted = Static<typeof Deleted>;
