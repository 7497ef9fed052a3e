import type { ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { meQuery, roleIn } from "../api/admin.ts";
import { AccountMenu } from "./AccountMenu.tsx";
import { ProjectPicker } from "./ProjectPicker.tsx";
import { GlobalSearch } from "./GlobalSearch.tsx";
import { LiveIndicator } from "./LiveIndicator.tsx";

type Section = "/projects/$project/sessions" | "/projects/$project/users" | "/projects/$project/evaluations" | "/projects/$project/review" | "/projects/$project/keys";

/** One of the project's sections in the top bar, highlighted while open. */
function SectionLink({ to, project, testId, children }: { to: Section; project: string; testId?: string; children: ReactNode }) {
  return (
    <Link to={to} params={{ project }} className="topnav__link" activeProps={{ className: "topnav__link topnav__link--active" }} data-testid={testId}>
      {children}
    </Link>
  );
}

/** Top bar: brand, project picker and the project's sections (when inside a project). */
export function AppHeader() {
  const { project } = useParams({ strict: false });
  const { data: me } = useQuery(meQuery());
  return (
    <header className="topbar">
      <Link to="/" className="brand" aria-label="Threadline home">
        <span className="brand__mark" aria-hidden="true" />
        Threadline
      </Link>
      {project !== undefined && (
        <>
          <span className="topbar__sep" aria-hidden="true" />
          <ProjectPicker current={project} />
          <nav className="topnav" aria-label="Project sections">
            <SectionLink to="/projects/$project/sessions" project={project}>Sessions</SectionLink>
            <SectionLink to="/projects/$project/users" project={project} testId="nav-users">Users</SectionLink>
            <SectionLink to="/projects/$project/evaluations" project={project} testId="nav-evaluations">Evaluations</SectionLink>
            <SectionLink to="/projects/$project/review" project={project} testId="nav-review">Review</SectionLink>
            {me?.authRequired && roleIn(me, project) === "admin" && (
              <SectionLink to="/projects/$project/keys" project={project} testId="nav-keys">Keys</SectionLink>
            )}
          </nav>
          <GlobalSearch key={project} project={project} />
          <LiveIndicator project={project} />
        </>
      )}
      <AccountMenu />
    </header>
  );
}
