// ws-sync's own metrics: open sockets and the replay window read at scrape
// time, frames sent, clients dropped and history read past counted as they
// happen.
import { counter, scrapedGauge } from "@todo/shared";

export const framesSent = counter({
  name: "todo_ws_frames_sent_total",
  help: "Update frames sent to WebSocket clients (live and replayed; control frames not counted).",
  labelNames: ["kind"],
});

export const clientsDropped = counter({
  name: "todo_ws_clients_dropped_total",
  help: "WebSocket clients this instance closed because their unsent backlog passed the bound.",
});
export const historySkipped = counter({
  name: "todo_ws_history_skipped_total",
  help: "task-updates records published before this instance started, read past without reaching a socket.",
});
for (const kind of ["live", "replay"]) framesSent.inc({ kind }, 0);

export interface FanoutReadings {
  connections(): number;
  window(): { users: number; entries: number; bytes: number };
}

export function fanoutMetrics(read: FanoutReadings): void {
  scrapedGauge({ name: "todo_ws_connections", help: "Open WebSocket connections on this instance." }, (g) =>
    g.set(read.connections()),
  );
  scrapedGauge(
    { name: "todo_ws_replay_window_entries", help: "Updates held in the replay window for reconnecting clients." },
    (g) => g.set(read.window().entries),
  );
  scrapedGauge(
    { name: "todo_ws_replay_window_bytes", help: "Estimated memory the replay window's updates take." },
    (g) => g.set(read.window().bytes),
  );
}
