import { expect, test } from "bun:test";
import { createLogger } from "../src/index.ts";

test("log lines are JSON with service, level and fields, and never contain secrets", () => {
  const lines: string[] = [];
  const log = createLogger({ service: "svc", secrets: ["hunter2-secret"], write: (l) => lines.push(l) });
  log.info("connected", { url: "postgres://u:hunter2-secret@db/x", task_id: 4 });
  log.debug("hidden at info level");
  expect(lines).toHaveLength(1);
  const line = JSON.parse(lines[0]!);
  expect(line).toMatchObject({ level: "info", service: "svc", msg: "connected", task_id: 4 });
  expect(lines[0]).not.toContain("hunter2-secret");
});
