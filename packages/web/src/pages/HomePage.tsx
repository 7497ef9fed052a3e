import { useEffect } from "react";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { projectsQuery } from "../api/queries.ts";
import { GettingStarted } from "../components/GettingStarted.tsx";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";

/**
 * Reached only when there is no project yet (the route loader redirects otherwise).
 * Polls so that the first traces to arrive open their project.
 */
export function HomePage() {
  useDocumentTitle("Getting started");
  const navigate = useNavigate();
  const { data } = useQuery({ ...projectsQuery(), refetchInterval: 3000 });
  const first = data?.projects[0];

  useEffect(() => {
    if (first) {
      void navigate({ to: "/projects/$project/sessions", params: { project: first.name }, replace: true });
    }
  }, [first, navigate]);

  return (
    <div className="page">
      <GettingStarted title="Welcome to Threadline">
        No sessions yet. Send a first one with either snippet below; this page opens your project as soon as it arrives.
      </GettingStarted>
    </div>
  );
}
