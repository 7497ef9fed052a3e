import { rootRoute } from "./root.tsx";
import { accountsRoute, keysRoute, loginRoute } from "./admin.ts";
import { evaluationsRoute } from "./evaluations.ts";
import { homeRoute } from "./home.ts";
import { reviewQueuesRoute, reviewRoute } from "./review.ts";
import { projectIndexRoute, projectRoute } from "./project.ts";
import { sessionsRoute } from "./sessions.ts";
import { sessionRoute } from "./session.ts";
import { traceRoute } from "./trace.ts";
import { usersRoute } from "./users.ts";
import { userRoute } from "./user.ts";

// Code-based route tree. Add new pages here (e.g. users, trace waterfall).
export const routeTree = rootRoute.addChildren([
  homeRoute,
  loginRoute,
  accountsRoute,
  projectRoute.addChildren([projectIndexRoute, sessionsRoute, sessionRoute, traceRoute, usersRoute, userRoute, evaluationsRoute, reviewQueuesRoute, reviewRoute, keysRoute]),
]);
