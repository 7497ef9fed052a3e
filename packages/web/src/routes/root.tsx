import { createRootRouteWithContext, redirect } from "@tanstack/react-router";
import type { QueryClient } from "@tanstack/react-query";
import { meQuery } from "../api/admin.ts";
import { ApiError } from "../api/client.ts";
import { RootLayout } from "../pages/RootLayout.tsx";
import { NotFoundPage } from "../pages/NotFoundPage.tsx";
import { RouteErrorPage } from "../pages/RouteErrorPage.tsx";

export interface RouterContext {
  queryClient: QueryClient;
}

export const rootRoute = createRootRouteWithContext<RouterContext>()({
  // Every page but the sign-in page needs someone the server knows (or an open server).
  beforeLoad: async ({ context, location }) => {
    if (location.pathname === "/login") return;
    try {
      await context.queryClient.ensureQueryData(meQuery());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw redirect({ to: "/login", search: { next: location.href } });
      throw error;
    }
  },
  component: RootLayout,
  notFoundComponent: NotFoundPage,
  errorComponent: RouteErrorPage,
});
