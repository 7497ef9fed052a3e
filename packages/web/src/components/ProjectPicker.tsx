import { useId } from "react";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { projectsQuery } from "../api/queries.ts";

/** Select of all projects; choosing one opens its sessions list. */
export function ProjectPicker({ current }: { current: string }) {
  const id = useId();
  const navigate = useNavigate();
  const { data, isError } = useQuery(projectsQuery());
  const names = data?.projects.map((p) => p.name) ?? [];
  // Keep the current project selectable even if the list is loading or does not know it.
  if (!names.includes(current)) names.unshift(current);

  return (
    <div className="project-picker">
      <label htmlFor={id} className="project-picker__label">
        Project
      </label>
      <select
        id={id}
        className="select"
        value={current}
        data-testid="project-picker"
        title={isError ? "Could not load the project list" : undefined}
        onChange={(event) => {
          void navigate({ to: "/projects/$project/sessions", params: { project: event.target.value } });
        }}
      >
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}
