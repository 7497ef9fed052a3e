import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { ApiError } from "./api/client.ts";
import { createAppRouter } from "./router.ts";
import "./styles.css";

const queryClient = new QueryClient({
  // Signed out meanwhile (the session expired, or the account was removed): back to sign-in.
  queryCache: new QueryCache({
    onError: (error) => {
      if (error instanceof ApiError && error.status === 401 && window.location.pathname !== "/login") {
        queryClient.clear();
        void router.navigate({ to: "/login", search: { next: window.location.pathname + window.location.search } });
      }
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // Client errors (404 etc.) will not fix themselves: do not retry them.
      retry: (failureCount, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
    },
  },
});

const router = createAppRouter(queryClient);

const container = document.getElementById("root");
if (!container) throw new Error("#root element missing from index.html");

createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
