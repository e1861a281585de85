// `bun run dev`: fetch/build what is missing, start the whole system, print
// where everything is, stream prefixed logs, stop everything on Ctrl-C.
import "./bun-version.ts"; // first: refuse an unsupported Bun before anything starts
import { join, resolve } from "node:path";
import { SERVICE_ORDER, stackPorts } from "./ports.ts";
import { step } from "./process.ts";
import { ensureTools } from "./setup.ts";
import { startStack } from "./stack.ts";
import { describeStack, devStateDir } from "./state.ts";
import { startControl } from "./control.ts";
import { SERVICE_DATABASES } from "./stack.ts";
import { writeFileSync } from "node:fs";

const repoRoot = resolve(import.meta.dir, "../..");
const stateDir = devStateDir();
const started = Date.now();
const tools = await ensureTools(repoRoot);
const stack = await startStack({
  repoRoot,
  stateDir,
  logDir: join(stateDir, "logs"),
  ports: stackPorts(process.env),
  tools,
  echo: true,
  watch: !process.env.CI,
  ephemeral: false,
  logLevel: process.env.LOG_LEVEL,
  llmBaseUrl: process.env.LLM_BASE_URL,
});

// Integration tests can run against this stack too:
//   STACK_INFO=<data dir>/stack.json bun test .int.test.ts
const control = startControl(stack);
const logDir = join(stateDir, "logs");
writeFileSync(
  join(stateDir, "stack.json"),
  JSON.stringify(
    {
      ...describeStack(stack, repoRoot, logDir, Object.values(SERVICE_DATABASES) as string[]),
      controlUrl: control.url,
    },
    null,
    2,
  ),
);

const { ports, versions } = stack;
const lines = [
  `ready in ${((Date.now() - started) / 1000).toFixed(1)}s — daprd ${versions.daprd}, Kafka ${versions.kafka}, PostgreSQL ${versions.postgres}`,
  ...SERVICE_ORDER.map(
    (id) => `  ${id.padEnd(13)} http://127.0.0.1:${ports.services[id].app}   (sidecar :${ports.services[id].daprHttp})`,
  ),
  `  kafka         127.0.0.1:${ports.kafka}`,
  `  postgres      postgres://postgres@127.0.0.1:${ports.postgres}/todo`,
  `  prometheus    ${stack.observability.prometheus}   (alerts: ${stack.observability.prometheus}/alerts)`,
  `  zipkin        ${stack.observability.zipkin}   (traces)`,
  `  data and logs ${stateDir}`,
  "Ctrl-C stops everything.",
];
step(lines.join("\n"));

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  step(`${signal}: stopping`);
  control.stop();
  await stack.stop();
  process.exit(0);
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(signal));
