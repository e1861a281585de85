// A WebSocket client that keeps a user's tasks as ws-sync tells it, the way
// a real client must: apply each task-updates frame, reconnect with `since`
// when the socket drops, refetch everything over REST on `resync`. After a
// fault its state must equal what REST says.
import type { TaskData, TaskUpdate } from "@todo/shared";
import type { ApiResponse, TestUser } from "../support/api.ts";
import { stack } from "../support/stack.ts";

/** One update frame as it arrived (replays and redeliveries included). */
export interface Arrival {
  /** Date.now() at arrival: comparable with the update's own timestamp (same machine). */
  at: number;
  taskId: number;
  operation: string;
  updatedAt: string;
  timestamp: string;
}

export class LiveClient {
  readonly tasks = new Map<number, TaskData>();
  readonly arrivals: Arrival[] = [];
  reconnects = 0;
  resyncs = 0;
  private socket: WebSocket | undefined;
  private since: string | undefined;
  private stopped = false;
  /** Frames that arrive while a refetch is in flight wait for its snapshot. */
  private held: Record<string, any>[] | undefined;

  constructor(readonly user: TestUser) {}

  /** Resolves once the first `ready` frame came. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => this.connect(resolve, reject));
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
  }

  private connect(onReady?: () => void, onFail?: (err: Error) => void): void {
    const port = stack().ports.services["ws-sync"]!.app;
    const since = this.since ? `&since=${encodeURIComponent(this.since)}` : "";
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${this.user.token}${since}`);
    this.socket = socket;
    let ready = false;
    socket.onmessage = (e) => {
      const msg = JSON.parse(String(e.data));
      if (msg.type === "ready") {
        ready = true;
        onReady?.();
      } else if (msg.type === "resync") void this.refetch();
      else if (typeof msg.operation === "string") {
        this.arrivals.push({
          at: Date.now(),
          taskId: msg.task_id,
          operation: msg.operation,
          updatedAt: msg.task_data?.updated_at,
          timestamp: msg.timestamp,
        });
        this.held ? this.held.push(msg) : this.apply(msg);
      }
    };
    socket.onclose = () => {
      if (this.stopped) return;
      if (!ready && onFail) return onFail(new Error("the first connection closed before ready"));
      this.reconnects++;
      // ws-sync is restarting (or dropped us): come back like a browser would.
      setTimeout(() => this.connect(), 200);
    };
  }

  private apply(msg: TaskUpdate) {
    this.since = msg.timestamp;
    const known = this.tasks.get(msg.task_id);
    // A frame older than what we hold (a replay overlapping a refetch) changes nothing.
    if (known && known.updated_at > msg.task_data.updated_at) return;
    if (msg.operation === "delete") this.tasks.delete(msg.task_id);
    else this.tasks.set(msg.task_id, msg.task_data);
  }

  private refetching: Promise<void> | undefined;

  /** One refetch at a time; a resync during one is served by another after it. */
  private refetch(): Promise<void> {
    this.resyncs++;
    this.held ??= [];
    const previous = this.refetching ?? Promise.resolve();
    const next = previous.then(async () => {
      const snapshot = await allTasks(this.user);
      this.tasks.clear();
      for (const task of snapshot) this.tasks.set(task.id, task);
      if (this.refetching !== next) return; // a later refetch will release the held frames
      const held = this.held ?? [];
      this.held = undefined;
      this.refetching = undefined;
      for (const msg of held) this.apply(msg as Parameters<LiveClient["apply"]>[0]);
    });
    this.refetching = next;
    return next;
  }
}

/** Every task of the user over REST, page by page, waiting out 429s as told. */
export async function allTasks(user: TestUser): Promise<TaskData[]> {
  const tasks: TaskData[] = [];
  let cursor: string | null = null;
  const deadline = Date.now() + 120_000;
  do {
    const res: ApiResponse | undefined = await user
      .call("GET", `/api/tasks?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)
      .catch(() => undefined);
    if ((!res || res.status === 429 || res.status === 503) && Date.now() < deadline) {
      await Bun.sleep(1000); // todo-api restarting, or its Retry-After (a second here)
      continue;
    }
    if (!res) throw new Error("GET /api/tasks: todo-api unreachable for two minutes");
    if (res.status !== 200) throw new Error(`GET /api/tasks: ${res.status}`);
    tasks.push(...res.body.items);
    cursor = res.body.next_cursor;
  } while (cursor);
  return tasks;
}

/** Tasks as comparable text, key order aside. */
export const canonical = (tasks: Iterable<TaskData>) =>
  [...tasks]
    .sort((a, b) => a.id - b.id)
    .map((t) => JSON.stringify(Object.fromEntries(Object.entries(t).sort(([a], [b]) => a.localeCompare(b)))))
    .join("\n");
