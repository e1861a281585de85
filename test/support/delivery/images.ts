// Builds the service images with buildah from the one Dockerfile, on the local
// stand-ins for the official Bun images (infra/setup/bun-images.sh), and runs
// them with podman.
//
// This machine's kernel runs cgroups v1 beside v2 ("hybrid"), which crun
// refuses: RUN steps use buildah's chroot isolation and podman uses runc.
// podman's default rlimits exceed the hard limits here, so they are lowered.
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../gitops/render.ts";

export const PODMAN = ["podman", "--runtime", "runc"];
export const PODMAN_LIMITS = ["--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"];

export interface BaseImages {
  build: string;
  runtime: string;
}

export function baseImages(): BaseImages {
  const [build, runtime] = execFileSync("bash", [join(repoRoot, "infra/setup/bun-images.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .slice(-2);
  return { build: build!, runtime: runtime! };
}

export const imageName = (service: string) => `localhost/todo/${service}:test`;

/** `buildah build --build-arg SERVICE=<service>` of the Dockerfile, with the repository root as context; layers up to the service's own steps are shared. */
export function buildImage(service: string, bases: BaseImages): { ok: boolean; out: string } {
  const run = spawnSync(
    "buildah",
    [
      "build",
      "--quiet",
      "--layers",
      "--force-rm",
      "--isolation",
      "chroot",
      "--network",
      "host",
      "--build-arg",
      `BUN_IMAGE=${bases.build}`,
      "--build-arg",
      `BUN_RUNTIME_IMAGE=${bases.runtime}`,
      "--build-arg",
      `SERVICE=${service}`,
      "-t",
      imageName(service),
      ".",
    ],
    { cwd: repoRoot, encoding: "utf8", maxBuffer: 64 << 20 },
  );
  return { ok: run.status === 0, out: `${run.stdout}${run.stderr}`.trim() };
}

/** An image's configured user and size in bytes. */
export function inspectImage(image: string): { user: string; size: number } {
  const [user, size] = execFileSync(
    "buildah",
    ["inspect", "--type", "image", "--format", "{{.OCIv1.Config.User}} {{.Docker.Size}}", image],
    { encoding: "utf8" },
  )
    .trim()
    .split(" ");
  return { user: user ?? "", size: Number(size) };
}
