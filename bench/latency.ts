// R2: write → WebSocket frame latency, open loop. Writes are sent at a fixed
// arrival rate whatever the answers do (so a slow system is not hidden by a
// slowed sender); one process sends and receives, on one clock. Stages come
// from the client (request sent, response received = committed) and from
// ws-sync's log (update handled), so the table shows where the time goes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { percentile } from "./load.ts";

export interface StageStats {
  p50: number;
  p99: number;
  max: number;
}

const stats = (xs: number[]): StageStats => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
};

export async function writeToFrame(o: {
  api: string;
  wsUrl: string;
  token: string;
  logDir: string;
  rate: number;
  seconds: number;
}) {
  const socket = new WebSocket(o.wsUrl, ["bearer", o.token]);
  const frameAt = new Map<number, number>();
  await new Promise<void>((resolve, reject) => {
    socket.onmessage = (e) => {
      const msg = JSON.parse(String(e.data));
      if (msg.type === "ready") resolve();
      else if (msg.operation === "create") frameAt.set(msg.task_id, performance.now());
    };
    socket.onclose = () => reject(new Error("socket closed"));
  });
  const sent: { at: number; answeredAt?: number; id?: number }[] = [];
  const total = Math.round(o.rate * o.seconds);
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / o.rate;
    const wait = due - performance.now();
    if (wait > 0) await Bun.sleep(wait); // the arrival schedule itself
    const entry: (typeof sent)[number] = { at: performance.now() };
    sent.push(entry);
    inflight.push(
      fetch(`${o.api}/api/tasks`, {
        method: "POST",
        headers: { authorization: `Bearer ${o.token}`, "content-type": "application/json" },
        body: JSON.stringify({ title: `r2 ${i}` }),
      }).then(async (r) => {
        entry.answeredAt = performance.now();
        if (r.status === 201) entry.id = ((await r.json()) as { id: number }).id;
        else await r.arrayBuffer();
      }),
    );
  }
  await Promise.all(inflight);
  const deadline = performance.now() + 30_000;
  while (sent.some((s) => s.id && !frameAt.has(s.id)) && performance.now() < deadline) await Bun.sleep(50);
  socket.close();

  // ws-sync's "event received" lines carry wall-clock times; bring them onto our clock.
  const handledAt = new Map<number, number>();
  for (const line of readFileSync(join(o.logDir, "ws-sync.log"), "utf8").split("\n")) {
    if (!line.includes('"event received"')) continue;
    try {
      // The shared delivery code writes the event's fields on the line itself (eventFields).
      const l = JSON.parse(line) as { time: string; operation?: string; task_id?: number };
      if (l.operation === "create" && l.task_id !== undefined)
        handledAt.set(l.task_id, Date.parse(l.time) - performance.timeOrigin);
    } catch {
      // not a JSON line
    }
  }
  const done = sent.filter((s) => s.id && frameAt.has(s.id) && s.answeredAt);
  return {
    rate: o.rate,
    writes: total,
    delivered: done.length,
    total: stats(done.map((s) => frameAt.get(s.id!)! - s.at)),
    commit: stats(done.map((s) => s.answeredAt! - s.at)),
    toConsumer: stats(done.filter((s) => handledAt.has(s.id!)).map((s) => handledAt.get(s.id!)! - s.answeredAt!)),
    toFrame: stats(done.filter((s) => handledAt.has(s.id!)).map((s) => frameAt.get(s.id!)! - handledAt.get(s.id!)!)),
  };
}
