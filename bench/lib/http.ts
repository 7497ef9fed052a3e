// Minimal HTTP/1.1 client over node:http with keep-alive (no fetch: less overhead to measure).
import { Agent, request } from "node:http";

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function agent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

export function send(
  url: string,
  options: { method?: string; agent: Agent; headers?: Record<string, string | number>; body?: Uint8Array },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", agent: options.agent, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

const defaultAgent = agent(1);

/** GET a JSON document; the body is parsed when it is JSON, else kept as text. */
export async function getJson<T = unknown>(url: string, via: Agent = defaultAgent): Promise<{ status: number; body: T; ms: number }> {
  const start = performance.now();
  const reply = await send(url, { agent: via });
  const ms = performance.now() - start;
  const text = reply.body.toString("utf8");
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: reply.status, body: body as T, ms };
}

/** Evaluation jobs the server has finished, from its /metrics (`outcome`: only those, e.g. "done"). */
export async function evaluationJobsFinished(url: string, outcome?: "done" | "retry" | "failed"): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(/^threadline_evaluation_jobs_total\{([^}]*)\} (\d+)$/gm)) if (!outcome || m[1].includes(`outcome="${outcome}"`)) sum += Number(m[2]);
  return sum;
}
