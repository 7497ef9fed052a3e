import { useEffect } from "react";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { projectsQuery } from "../api/queries.ts";
import { EmptyState } from "../components/states.tsx";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";

/**
 * Reached only when there is no project yet (the route loader redirects otherwise).
 * Polls so that the first traces to arrive open their project.
 */
export function HomePage() {
  useDocumentTitle("Getting started");
  const navigate = useNavigate();
  const { data } = useQuery({ ...projectsQuery(), refetchInterval: 5000 });
  const first = data?.projects[0];

  useEffect(() => {
    if (first) {
      void navigate({ to: "/projects/$project/sessions", params: { project: first.name }, replace: true });
    }
  }, [first, navigate]);

  const endpoint = `${window.location.origin}/v1/traces`;
  return (
    <div className="page">
      <EmptyState title="Welcome to Threadline">
        <p>No sessions yet — send traces to this server's OTLP endpoint /v1/traces</p>
        <code className="code code--block" data-testid="otlp-endpoint">
          {endpoint}
        </code>
        <p className="muted">
          Point an OpenTelemetry exporter (OTLP over HTTP) at it and tag spans with{" "}
          <code className="code">session.id</code> and <code className="code">user.id</code>. This page opens your
          project as soon as the first traces arrive.
        </p>
      </EmptyState>
    </div>
  );
}
