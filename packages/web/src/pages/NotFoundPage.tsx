import { Link } from "@tanstack/react-router";
import { EmptyState } from "../components/states.tsx";
import { useDocumentTitle } from "../lib/useDocumentTitle.ts";

export function NotFoundPage() {
  useDocumentTitle("Not found");
  return (
    <div className="page">
      <EmptyState title="Page not found">
        <p>
          <Link to="/" className="link">
            Go to the start page
          </Link>
        </p>
      </EmptyState>
    </div>
  );
}
