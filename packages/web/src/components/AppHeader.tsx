import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { meQuery, roleIn } from "../api/admin.ts";
import { AccountMenu } from "./AccountMenu.tsx";
import { ProjectPicker } from "./ProjectPicker.tsx";
import { GlobalSearch } from "./GlobalSearch.tsx";
import { LiveIndicator } from "./LiveIndicator.tsx";

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
            <Link
              to="/projects/$project/sessions"
              params={{ project }}
              className="topnav__link"
              activeProps={{ className: "topnav__link topnav__link--active" }}
            >
              Sessions
            </Link>
            <Link
              to="/projects/$project/users"
              params={{ project }}
              className="topnav__link"
              activeProps={{ className: "topnav__link topnav__link--active" }}
              data-testid="nav-users"
            >
              Users
            </Link>
            {me?.authRequired && roleIn(me, project) === "admin" && (
              <Link
                to="/projects/$project/keys"
                params={{ project }}
                className="topnav__link"
                activeProps={{ className: "topnav__link topnav__link--active" }}
                data-testid="nav-keys"
              >
                Keys
              </Link>
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
