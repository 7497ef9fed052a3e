import { LoadingState } from "../components/states.tsx";

export function PendingPage() {
  return (
    <div className="page">
      <LoadingState />
    </div>
  );
}
