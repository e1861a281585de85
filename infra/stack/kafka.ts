// A single Apache Kafka broker in KRaft mode (combined controller + broker),
// run straight from the Maven-resolved jars with a modest heap.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Proc, run, step, tcpOpen, waitFor } from "./process.ts";

export interface KafkaOptions {
  home: string; // holds libs/
  dataDir: string;
  port: number;
  controllerPort: number;
  topics: readonly string[];
  partitions: number;
  logDir: string;
  echo: boolean;
  repoRoot: string;
}

export interface Kafka {
  proc: Proc;
  version: string;
  bootstrap: string;
  classpath: string;
}

export async function startKafka(o: KafkaOptions): Promise<Kafka> {
  const classpath = `${o.home}/libs/*`;
  const version = o.home.match(/kafka-([\d.]+)/)?.[1] ?? "unknown";
  mkdirSync(o.dataDir, { recursive: true });
  const config = join(o.dataDir, "server.properties");
  writeFileSync(config, serverProperties(o));
  const log4j = join(o.dataDir, "log4j2.properties");
  writeFileSync(log4j, LOG4J);
  const java = [
    "java",
    "-Xms256m",
    "-Xmx768m",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${log4j}`,
  ];
  if (!existsSync(join(o.dataDir, "logs", "meta.properties"))) {
    step("Kafka: formatting KRaft storage");
    const clusterId = randomBytes(16).toString("base64url");
    // One argument, `--cluster-id=<id>`: a base64url id may start with "-", which a separate argument would turn into an option.
    await run([
      ...java,
      "-cp",
      classpath,
      "kafka.tools.StorageTool",
      "format",
      `--cluster-id=${clusterId}`,
      "-c",
      config,
    ]);
  }
  const proc = new Proc({
    name: "kafka",
    cmd: [...java, `-Dkafka.logs.dir=${join(o.dataDir, "server-logs")}`, "-cp", classpath, "kafka.Kafka", config],
    logDir: o.logDir,
    echo: o.echo,
  });
  await waitFor(`Kafka on port ${o.port}`, () => tcpOpen(o.port), 60_000, proc);
  const kafka = { proc, version, bootstrap: `127.0.0.1:${o.port}`, classpath };
  const created = await createTopics(kafka, o.repoRoot, o.partitions, o.topics);
  if (created.trim()) step(`Kafka: ${created.trim().split("\n").join(", ")}`);
  return kafka;
}

/** Creates the topics that do not exist yet, in one Admin call; says which it created. */
export function createTopics(
  kafka: Pick<Kafka, "bootstrap" | "classpath">,
  repoRoot: string,
  partitions: number,
  topics: readonly string[],
): Promise<string> {
  return run([
    "java",
    "-Xmx128m",
    "-cp",
    kafka.classpath,
    join(repoRoot, "infra/kafka/CreateTopics.java"),
    kafka.bootstrap,
    String(partitions),
    ...topics,
  ]);
}

/** Deletes a topic with Kafka's own kafka-topics tool (a fault test: a topic the broker no longer has). */
export async function deleteTopic(kafka: Pick<Kafka, "bootstrap" | "classpath">, topic: string): Promise<void> {
  await run([
    "java",
    "-Xmx128m",
    "-cp",
    kafka.classpath,
    "org.apache.kafka.tools.TopicCommand",
    "--bootstrap-server",
    kafka.bootstrap,
    "--delete",
    "--topic",
    topic,
  ]);
}

function serverProperties(o: KafkaOptions): string {
  return `# Written by infra/stack/kafka.ts on every start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${o.controllerPort}
listeners=PLAINTEXT://127.0.0.1:${o.port},CONTROLLER://127.0.0.1:${o.controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${o.port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${join(o.dataDir, "logs")}
num.partitions=${o.partitions}
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.hours=168
`;
}

// Broker chatter at WARN; the line that says the server started stays visible.
const LOG4J = `status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = STDOUT
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = info
`;
