// What integration tests know about the running stack (written by
// infra/stack/test.ts, named by STACK_INFO) and ways to look inside it:
// a client for any sidecar, service log lines, and Kafka records read back
// with Kafka's own console consumer.
import { DaprClient, type AppId } from "@todo/shared";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StackInfo } from "../../infra/stack/state.ts";

let cached: StackInfo | undefined;

export function stack(): StackInfo {
  if (cached) return cached;
  const file = process.env.STACK_INFO;
  if (!file)
    throw new Error("STACK_INFO is not set: run integration tests with `bun run test`, which starts the stack");
  cached = JSON.parse(readFileSync(file, "utf8")) as StackInfo;
  return cached;
}

export function sidecar(appId: AppId): DaprClient {
  const s = stack();
  return new DaprClient({ httpPort: s.ports.services[appId].daprHttp, apiToken: s.tokens.dapr });
}

export function appUrl(appId: AppId, path = ""): string {
  return `http://127.0.0.1:${stack().ports.services[appId].app}${path}`;
}

/** The JSON log lines a process has written so far. */
export function logLines(name: string): Record<string, unknown>[] {
  const text = readFileSync(join(stack().logDir, `${name}.log`), "utf8");
  return text.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** Polls until `check` returns a value, or fails with `what` at the deadline. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(100);
  }
}

/** Waits for a log line of `name` that satisfies `match`. */
export function waitForLog(name: string, match: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000) {
  return eventually(`a log line of ${name}`, () => logLines(name).find(match), timeoutMs);
}

export interface KafkaRecord {
  partition: number;
  key: string | null;
  headers: Record<string, string>;
  value: string;
}

/**
 * Reads a topic from the beginning with Kafka's ConsoleConsumer until `done`
 * holds for what was read or the deadline passes. Each call uses a fresh
 * consumer group, so it sees everything on the topic (several topics: their
 * records one after another, in no particular order). `idleMs`: how long one
 * read waits for a record before it ends (joining the group comes first, so a
 * busy machine may need more than the default to see any record).
 */
export async function readTopic(
  topic: string | string[],
  done: (records: KafkaRecord[]) => boolean,
  timeoutMs = 20_000,
  idleMs = 3000,
): Promise<KafkaRecord[]> {
  const { kafka } = stack();
  const deadline = Date.now() + timeoutMs;
  let records: KafkaRecord[] = [];
  while (Date.now() < deadline) {
    // Output to a file, not a pipe: a run once hung for good with no child
    // left, waiting on a subprocess pipe. The watchdog ends a consumer that
    // outlives its own --timeout-ms by far, so a stuck read fails in time.
    const out = join(tmpdir(), `read-topic-${crypto.randomUUID()}.txt`);
    const child = Bun.spawn(
      [
        "java",
        "-Xmx128m",
        "-cp",
        kafka.classpath,
        "org.apache.kafka.tools.consumer.ConsoleConsumer",
        "--bootstrap-server",
        kafka.bootstrap,
        ...(typeof topic === "string" ? ["--topic", topic] : ["--include", topic.join("|")]),
        "--from-beginning",
        "--timeout-ms",
        String(idleMs),
        "--property",
        "print.partition=true",
        "--property",
        "print.key=true",
        "--property",
        "print.headers=true",
        "--property",
        "headers.separator=\u001f",
        "--property",
        "key.separator=\t",
      ],
      { stdout: Bun.file(out), stderr: "ignore" },
    );
    const watchdog = setTimeout(() => child.kill("SIGKILL"), 60_000);
    try {
      await child.exited;
      records = (existsSync(out) ? readFileSync(out, "utf8") : "")
        .split("\n")
        .filter((l) => l.startsWith("Partition:"))
        .map(parseRecord);
    } finally {
      clearTimeout(watchdog);
      rmSync(out, { force: true });
    }
    if (done(records)) return records;
  }
  throw new Error(`timed out after ${timeoutMs} ms reading ${topic}; read ${records.length} record(s)`);
}

function parseRecord(line: string): KafkaRecord {
  const [partition = "", headers = "", key = "", ...value] = line.split("\t");
  return {
    partition: Number(partition.replace("Partition:", "")),
    key: key === "null" ? null : key,
    headers:
      headers === "NO_HEADERS"
        ? {}
        : Object.fromEntries(
            headers.split("\u001f").map((h) => [h.slice(0, h.indexOf(":")), h.slice(h.indexOf(":") + 1)]),
          ),
    value: value.join("\t"),
  };
}

/** Stops, kills or restarts one process of the stack (names as in the logs: todo-api, todo-api-dapr, todo-api-2, …). */
export function control(name: string, action: "stop" | "kill" | "start"): Promise<void> {
  return controlPost(`procs/${name}/${action}`);
}

/** Deletes one of the project's Kafka topics, or creates it again as the launcher does. */
export function controlTopic(topic: string, action: "delete" | "create"): Promise<void> {
  return controlPost(`topics/${topic}/${action}`);
}

async function controlPost(path: string): Promise<void> {
  const url = stack().controlUrl;
  if (!url) throw new Error("this stack has no control port");
  const res = await fetch(`${url}/${path}`, { method: "POST" });
  if (res.status !== 204) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}
