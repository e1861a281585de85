// Step 5 of the delivery tests: every service image builds with buildah from
// the real Dockerfile (the base images are local stand-ins for the official
// Bun images, which are out of reach: Debian's libc and shell plus Bun from
// npm), and the todo-api image, run with podman as the pod runs it
// (non-root, read-only root filesystem, no capabilities), answers /readyz
// against the test stack's Postgres and Dapr sidecar.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { APP_IDS } from "@todo/shared";
import { freePort } from "../../infra/delivery/control-plane.ts";
import type { StackInfo } from "../../infra/stack/state.ts";
import {
  baseImages,
  buildImage,
  imageName,
  inspectImage,
  PODMAN,
  PODMAN_LIMITS,
  type BaseImages,
} from "../support/delivery/images.ts";

const stack: StackInfo = JSON.parse(readFileSync(process.env.STACK_INFO ?? "", "utf8"));
let bases: BaseImages;
beforeAll(() => {
  bases = baseImages();
}, 600_000);

describe("service images from the Dockerfile (buildah)", () => {
  for (const service of Object.values(APP_IDS))
    test(`${service} builds and runs as a numeric non-root user`, () => {
      const r = buildImage(service, bases);
      if (!r.ok)
        throw new Error(`buildah build of the Dockerfile with SERVICE=${service} failed:\n${r.out.slice(-3000)}`);
      expect(inspectImage(imageName(service)).user).toBe("65532:65532");
    }, 600_000);
});

describe("the todo-api image under podman", () => {
  const container = `todo-api-image-test-${process.pid}`;
  afterAll(() => {
    spawnSync(PODMAN[0]!, [...PODMAN.slice(1), "rm", "--force", "--time", "10", container]);
  });

  test("answers /readyz against the test stack's Postgres and todo-api sidecar", async () => {
    const port = await freePort();
    const ports = stack.ports.services[APP_IDS.todoApi];
    const env = {
      HOST: "127.0.0.1",
      PORT: String(port),
      DAPR_HTTP_PORT: String(ports.daprHttp),
      DAPR_API_TOKEN: stack.tokens.dapr,
      APP_API_TOKEN: stack.tokens.app,
      DATABASE_URL: stack.databases.todo!,
    };
    const run = spawnSync(
      PODMAN[0]!,
      [
        ...PODMAN.slice(1),
        "run",
        "--detach",
        "--name",
        container,
        "--network",
        "host",
        ...PODMAN_LIMITS,
        "--read-only",
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        ...Object.entries(env).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
        imageName(APP_IDS.todoApi),
      ],
      { encoding: "utf8" },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const deadline = Date.now() + 90_000;
    let last = "";
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3000) }).catch(
        (e: Error) => e,
      );
      if (!(res instanceof Error) && res.status === 200) break;
      last = res instanceof Error ? res.message : `${res.status} ${await res.text()}`;
      if (Date.now() > deadline) {
        const logs = spawnSync(PODMAN[0]!, [...PODMAN.slice(1), "logs", container], { encoding: "utf8" });
        throw new Error(`the todo-api container is not ready after 90 s: ${last}\n${logs.stdout}${logs.stderr}`);
      }
      await Bun.sleep(500);
    }
    const body = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { status: string };
    expect(body.status).toBe("ready");
  }, 180_000);
});
