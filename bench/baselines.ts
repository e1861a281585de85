// The bench's baselines: what Postgres and Kafka do on their own, measured
// with their own tools (pgbench, kafka-producer-perf-test, EndToEndLatency)
// against the stack's own server and broker, so todo-api's figures have
// something to be divided by. psql is here too: the bench's own queries.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../infra/stack/process.ts";
import type { Tools } from "../infra/stack/setup.ts";
import type { Stack } from "../infra/stack/stack.ts";

/** pgbench inserting the row a create writes (without its outbox rows). */
const INSERT_SCRIPT =
  "\\set n random(1, 1000000000)\nINSERT INTO tasks (user_id, title, description, priority, tags, created_at, updated_at) VALUES ('bench-pg', 'bench task ' || :n, '', 2, '{bench}', now(), now());\n";

export function baselines(o: { stack: Stack; tools: Tools; repoRoot: string; stateDir: string; seconds: number }) {
  const pg = ["-h", "127.0.0.1", "-p", String(o.stack.ports.postgres), "-U", "postgres"];
  const java = (heap: string, ...args: string[]) => run(["java", heap, "-cp", o.stack.kafka.classpath, ...args]);
  const insertScript = join(o.stateDir, "insert.sql");
  writeFileSync(insertScript, INSERT_SCRIPT);
  return {
    /** One query on the `todo` database; its rows unaligned, one per line. */
    psql: (query: string) => run([join(o.tools.postgresBin, "psql"), ...pg, "-d", "todo", "-tAc", query]),
    /** Transactions per second of a pgbench script (default: the insert) at `clients`, for the bench's seconds. */
    pgbench: async (clients: number, script = insertScript) => {
      const out = await run([
        join(o.tools.postgresBin, "pgbench"),
        "-n",
        ...pg,
        "-f",
        script,
        "-c",
        String(clients),
        "-j",
        "2",
        "-T",
        String(o.seconds),
        "todo",
      ]);
      return Number(out.match(/tps = ([\d.]+)/)?.[1] ?? NaN);
    },
    /** A topic of the bench's own, as the launcher creates the project's. */
    createTopic: (topic: string, partitions: number) =>
      java(
        "-Xmx128m",
        join(o.repoRoot, "infra/kafka/CreateTopics.java"),
        o.stack.kafka.bootstrap,
        String(partitions),
        topic,
      ),
    /** Kafka's producer flat out with acks=all: 50 000 records of 700 bytes, records/s. */
    kafkaProducerRate: async (topic: string) => {
      const out = await java(
        "-Xmx256m",
        "org.apache.kafka.tools.ProducerPerformance",
        "--topic",
        topic,
        "--num-records",
        "50000",
        "--record-size",
        "700",
        "--throughput",
        "-1",
        "--producer-props",
        `bootstrap.servers=${o.stack.kafka.bootstrap}`,
        "acks=all",
      );
      return Number(
        out
          .trim()
          .split("\n")
          .at(-1)
          ?.match(/([\d.]+) records\/sec/)?.[1] ?? NaN,
      );
    },
    /** Kafka's own produce → consume latency (ms) with acks=all: 2000 records of 700 bytes. */
    kafkaEndToEnd: async (topic: string) => {
      const out = await java(
        "-Xmx256m",
        "org.apache.kafka.tools.EndToEndLatency",
        o.stack.kafka.bootstrap,
        topic,
        "2000",
        "all",
        "700",
      );
      const m = out.match(/Percentiles: 50th = ([\d.]+), 99th = ([\d.]+)/);
      return { p50: Number(m?.[1] ?? NaN), p99: Number(m?.[2] ?? NaN) };
    },
  };
}
