// Bench settings: `--name value` on the command line, else the BENCH_NAME environment
// variable (dashes become underscores), else the default.
export function option(name: string, fallback: string): string {
  const argv = process.argv.slice(2);
  const at = argv.indexOf(`--${name}`);
  if (at >= 0 && at + 1 < argv.length) return argv[at + 1];
  const inline = argv.find((arg) => arg.startsWith(`--${name}=`));
  if (inline) return inline.slice(name.length + 3);
  return process.env[`BENCH_${name.toUpperCase().replace(/-/g, "_")}`] ?? fallback;
}

export function numberOption(name: string, fallback: number): number {
  const raw = option(name, String(fallback)).replace(/_/g, "");
  const value = /^[\d.]+[kKmM]$/.test(raw) ? Number(raw.slice(0, -1)) * (/[kK]$/.test(raw) ? 1e3 : 1e6) : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number, not "${raw}"`);
  return value;
}

export function flag(name: string): boolean {
  const value = option(name, process.argv.includes(`--${name}`) ? "1" : "");
  return value !== "" && value !== "0" && value !== "false";
}

/** The repository root (bench/lib/ is two levels below it). */
export const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
