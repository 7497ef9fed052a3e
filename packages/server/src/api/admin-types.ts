// What the administrative routes answer and accept: deletion, who is asking, accounts, keys.
import { Type, type Static } from "typebox";

export const Deleted = Type.Object({
  traces: Type.Integer({ description: "Traces deleted, with all their spans" }),
  spans: Type.Integer(),
  sessions: Type.Integer({ description: "Sessions left with no trace, and so deleted" }),
  annotations: Type.Integer({ description: "Annotations and evaluations deleted with them" }),
});
export type Deleted = Static<typeof Deleted>;

const Role = Type.Enum(["viewer", "annotator", "admin"]);
/** Roles by project name; "*" is every project. */
const Roles = Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Role, { description: 'Role by project name; "*" is every project' });

export const Me = Type.Object({
  kind: Type.Enum(["open", "account", "key"], { description: "open: authentication is off (loopback)" }),
  authRequired: Type.Boolean(),
  login: Type.Optional(Type.String()),
  /** null: every role everywhere (open). */
  roles: Type.Union([Roles, Type.Null()]),
  csrfToken: Type.Optional(Type.String({ description: "Send as x-csrf-token with every POST, PATCH and DELETE made with the session cookie" })),
});
export type Me = Static<typeof Me>;

export const SignIn = Type.Object({
  login: Type.String({ minLength: 1, maxLength: 200 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
}, { additionalProperties: false });
export type SignIn = Static<typeof SignIn>;

export const Account = Type.Object({ id: Type.String(), login: Type.String(), roles: Roles, createdAt: Type.String() });
export type Account = Static<typeof Account>;
export const AccountList = Type.Object({ accounts: Type.Array(Account) });
export type AccountList = Static<typeof AccountList>;
export const AccountInput = Type.Object({
  login: Type.String({ minLength: 1, maxLength: 200, pattern: "^[^\\s]+$", description: "A name or e-mail address, no spaces" }),
  password: Type.String({ maxLength: 1024 }),
  roles: Roles,
}, { additionalProperties: false });
export type AccountInput = Static<typeof AccountInput>;
export const AccountPatch = Type.Object({
  password: Type.Optional(Type.String({ maxLength: 1024 })),
  roles: Type.Optional(Roles),
}, { additionalProperties: false });
export type AccountPatch = Static<typeof AccountPatch>;

export const ApiKey = Type.Object({
  id: Type.String(),
  kind: Type.Enum(["ingest", "api"]),
  project: Type.String(),
  role: Type.Union([Role, Type.Null()]),
  name: Type.String(),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
export type ApiKey = Static<typeof ApiKey>;
export const ApiKeyList = Type.Object({ keys: Type.Array(ApiKey) });
export type ApiKeyList = Static<typeof ApiKeyList>;
export const ApiKeyInput = Type.Object({
  kind: Type.Enum(["ingest", "api"]),
  role: Type.Optional(Role),
  name: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false });
export type ApiKeyInput = Static<typeof ApiKeyInput>;
export const NewApiKey = Type.Object({ key: ApiKey, token: Type.String({ description: "The key itself, shown this once" }) });
export type NewApiKey = Static<typeof NewApiKey>;
