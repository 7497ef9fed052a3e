/** Scores as entered, up to 3 decimals: 1 → "1", 0.8333 → "0.833". */
export function formatScore(score: number | null): string {
  if (score === null || !Number.isFinite(score)) return "—";
  return String(Math.round(score * 1000) / 1000);
}
