import type { ReactNode } from "react";
import "../styles/lists.css";

export interface StatCard {
  id: string;
  label: string;
  value: ReactNode;
  /** Full figure or explanation in the tooltip. */
  title?: string;
  tone?: "error";
  /** A smaller figure (dates). */
  small?: boolean;
}

/** A row of key figures (definition list); `data-testid="stat-<id>"` on each. */
export function StatCards({ cards, busy, testId }: { cards: StatCard[]; busy?: boolean; testId?: string }) {
  return (
    <dl className="stat-cards" aria-busy={busy || undefined} data-testid={testId}>
      {cards.map((card) => (
        <div key={card.id} className={`stat-card${card.tone === "error" ? " stat-card--error" : ""}${card.small ? " stat-card--small" : ""}`} data-testid={`stat-${card.id}`}>
          <dt>{card.label}</dt>
          <dd title={card.title}>{card.value}</dd>
        </div>
      ))}
    </dl>
  );
}
