import { APPS, type Conversation } from "../apps.ts";

export const DEV: Conversation[] = [
  {
    slug: "python-dedupe",
    userId: "emeka@example.com",
    app: APPS.dev,
    channel: "web",
    topic: "python",
    turns: [
      {
        user: "How do I remove duplicates from a list in Python but keep the order?",
        assistant:
          "Use a dict, since dicts keep insertion order:\n\n```python\nitems = [3, 1, 3, 2, 1]\nunique = list(dict.fromkeys(items))  # [3, 1, 2]\n```\n\nIt's O(n) and works for any hashable items.",
      },
      {
        user: "What if the items are dicts, which aren't hashable?",
        assistant:
          "Dedupe on a key and remember what you've seen:\n\n```python\ndef unique_by(items, key):\n    seen = set()\n    out = []\n    for item in items:\n        k = key(item)\n        if k not in seen:\n            seen.add(k)\n            out.append(item)\n    return out\n\nunique_by(users, key=lambda u: u[\"email\"])\n```",
      },
      { user: "Perfect, that's exactly what I needed.", assistant: "Glad it helped. Happy coding!" },
    ],
  },
  {
    slug: "typescript-unknown-vs-any",
    userId: "alice@example.com",
    app: APPS.dev,
    channel: "web",
    topic: "typescript",
    turns: [
      {
        user: "What's the difference between unknown and any in TypeScript?",
        assistant:
          "Both accept any value, but `any` switches type checking off, while `unknown` forces you to check before use:\n\n```ts\nconst a: any = JSON.parse(s);\na.foo.bar(); // compiles, may crash\n\nconst u: unknown = JSON.parse(s);\nu.foo; // error: 'u' is of type 'unknown'\n```",
      },
      {
        user: "So when would I still use any?",
        assistant: "Rarely: when migrating JavaScript gradually, or in tiny escape hatches around badly typed libraries. Prefer `unknown` at boundaries (JSON, network, user input).",
      },
      {
        user: "How do I narrow an unknown value that should be a User object?",
        assistant:
          "Write a type guard:\n\n```ts\ntype User = { id: string; email: string };\n\nfunction isUser(value: unknown): value is User {\n  return typeof value === \"object\" && value !== null &&\n    typeof (value as User).id === \"string\" &&\n    typeof (value as User).email === \"string\";\n}\n```\n\nFor bigger shapes, a schema library like Zod gives you the guard and the type from one definition.",
      },
      { user: "Thanks, super clear.", assistant: "Anytime!" },
    ],
  },
  {
    slug: "postgres-slow-query",
    userId: "chen.wei@example.com",
    app: APPS.dev,
    channel: "slack",
    topic: "databases",
    turns: [
      {
        user: "Our Postgres query `SELECT * FROM events WHERE account_id = $1 ORDER BY created_at DESC LIMIT 20` got really slow once the table passed 50M rows. Ideas?",
        assistant:
          "Postgres is probably reading every row for the account and sorting them. An index matching both the filter and the sort lets it read just the first 20 rows:\n\n```sql\nCREATE INDEX events_account_created_idx ON events (account_id, created_at DESC);\n```",
      },
      {
        user: "Should the index be on (account_id, created_at) or the other way around?",
        assistant: "`(account_id, created_at)`: equality columns first, then the sort column. The other order can't jump straight to one account's rows.",
      },
      {
        user: "How can I check that the index is actually used?",
        assistant: "Run `EXPLAIN (ANALYZE, BUFFERS)` on the query. You want an `Index Scan using events_account_created_idx` with no separate `Sort` node, and a handful of buffers instead of thousands.",
      },
      {
        user: "Can I create it without locking the table? It's production.",
        assistant:
          "Yes: `CREATE INDEX CONCURRENTLY ...`. It takes longer and can't run inside a transaction, but writes keep flowing. " +
          "If it fails midway, drop the INVALID index and retry.",
      },
      { user: "That did it: 4 s down to 3 ms 🎉", assistant: "Excellent! That's the classic composite-index win." },
    ],
  },
  {
    slug: "react-effect-loop",
    userId: "alice@example.com",
    app: APPS.dev,
    channel: "web",
    topic: "react",
    turns: [
      {
        user: "My React component re-renders in an infinite loop. It has a useEffect that fetches data and calls setItems.",
        assistant: "That usually means a dependency of the effect changes on every render. Can you show the effect and where its dependencies come from?",
      },
      {
        user: "useEffect(() => { fetch(`/api/items?status=${filters.status}`).then(r => r.json()).then(setItems) }, [filters]) and the parent renders <List filters={{ status: 'open' }} />",
        assistant:
          "There it is: `{ status: 'open' }` is a new object on every parent render, so `filters` always looks changed. " +
          "Depend on the primitive instead:\n\n```tsx\nuseEffect(() => { ... }, [filters.status]);\n```\n\nor memoize the object in the parent with `useMemo`.",
      },
      {
        user: "Should I use React Query instead?",
        assistant: "For data fetching, yes: TanStack Query handles caching, deduping, retries and loading states, and its query keys compare by value, so this bug can't happen.",
      },
      { user: "Switched to the primitive dependency and it's fixed, thanks!", assistant: "Nice! Good luck with the rest of the feature." },
    ],
  },
  {
    slug: "rust-borrow-checker",
    userId: "emeka@example.com",
    app: APPS.dev,
    channel: "slack",
    topic: "rust",
    turns: [
      {
        user: "Why does Rust say 'cannot borrow `v` as mutable because it is also borrowed as immutable' when I push to a Vec while iterating over it?",
        assistant: "Pushing can reallocate the vector and move its elements, which would leave the iterator pointing at freed memory. The borrow checker stops that at compile time.",
      },
      {
        user: "How do I fix it if I need to add items based on the existing ones?",
        assistant: "Collect the new items first, then extend:\n\n```rust\nlet extra: Vec<_> = v.iter().filter(|x| **x > 10).map(|x| x * 2).collect();\nv.extend(extra);\n```",
      },
      { user: "Is cloning the vector a bad idea?", assistant: "It works, but it copies everything. Collecting only the new items is cheaper and says what you mean." },
      { user: "Makes sense, thanks!", assistant: "You're welcome! The borrow checker gets friendlier with time, promise." },
    ],
  },
  {
    slug: "git-undo-commit",
    userId: "bruno@example.com",
    app: APPS.dev,
    channel: "web",
    topic: "git",
    turns: [
      { user: "How do I undo my last git commit but keep the changes?", assistant: "`git reset --soft HEAD~1`: the commit goes away and its changes stay staged." },
      {
        user: "What if I already pushed it?",
        assistant: "Then don't rewrite shared history: `git revert HEAD` creates a new commit that undoes it, which is safe for everyone who already pulled.",
      },
      {
        user: "And if it's my own feature branch nobody else uses?",
        assistant: "Then reset and force-push, but use `git push --force-with-lease`: it refuses to overwrite the remote if someone pushed in the meantime.",
      },
      { user: "Got it, thanks!", assistant: "Happy to help!" },
    ],
  },
  {
    slug: "docker-image-size",
    userId: "dana@example.com",
    app: APPS.dev,
    channel: "web",
    topic: "docker",
    turns: [
      {
        user: "My Node.js Docker image is 1.2 GB. How can I make it smaller?",
        assistant:
          "Three big wins: start from `node:24-slim` (or alpine) instead of `node:24`, use a multi-stage build so build tools don't ship, " +
          "and add a `.dockerignore` for `node_modules`, `.git` and test files.",
      },
      {
        user: "Do I really need a multi-stage build for a small API?",
        assistant: "If you compile TypeScript or have native modules, yes: the compilers and dev dependencies stay in the build stage. For plain JavaScript, a slim base and `npm ci --omit=dev` get you most of the way.",
      },
      {
        user: "Should I run npm ci inside the image or copy node_modules in?",
        assistant: "Run `npm ci` inside the image, after copying only `package.json` and `package-lock.json`, so Docker caches that layer until your dependencies change.",
      },
      { user: "Down to 180 MB, nice. Thanks!", assistant: "Great result! 🐳" },
    ],
  },
  {
    slug: "bash-large-files",
    userId: "bruno@example.com",
    app: APPS.dev,
    channel: "slack",
    topic: "shell",
    turns: [
      {
        user: "My disk is full. How do I find the biggest files on a Linux server?",
        assistant: "Start with directories, then drill down:\n\n```sh\nsudo du -xh / --max-depth=2 2>/dev/null | sort -rh | head -20\n```\n\n`-x` stays on one filesystem, so it skips /proc and network mounts.",
      },
      {
        user: "It's mostly /var/log. Is it safe to delete old logs?",
        assistant: "Rotated ones (`*.gz`, `*.1`) yes. For a log a process still writes to, truncate it instead of deleting (`sudo truncate -s 0 file.log`), otherwise the space isn't freed until the process restarts.",
      },
      {
        user: "How do I stop it from happening again?",
        assistant: "Check the logrotate config for that service (`/etc/logrotate.d/`): rotate daily, keep 7, compress. For journald, set `SystemMaxUse=1G` in `/etc/systemd/journald.conf`.",
      },
      { user: "Freed 40 GB. You're a lifesaver!", assistant: "Ha, glad to hear it! 🎉" },
    ],
  },
];
