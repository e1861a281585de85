// Argo CD v3.1.8 for the delivery tests. Its install.yaml (from the pinned
// module, the file the README applies) goes into the cluster as the README
// says, so its CRDs, settings, RBAC and Deployments exist; kwok runs those
// Deployments' pods as fakes. The real work is done by host processes of the
// one `argocd` binary (kube-tools.sh): redis (Debian's redis-server), the
// repo-server, the application-controller and the API server (which creates
// the `default` AppProject and serves the `argocd` CLI).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Proc, tcpOpen, waitFor } from "../stack/process.ts";
import { freePort } from "./control-plane.ts";
import { moduleDir } from "./modules.ts";

export interface ArgoCd {
  /** host:port of the API server (plain HTTP/gRPC, --insecure). */
  server: string;
  procs: Proc[];
  /** Restarts the application-controller, as `kubectl rollout restart statefulset/argocd-application-controller` does. */
  restartController(): Promise<void>;
  stop(): Promise<void>;
}

/** The install manifest the README applies, from the pinned module. */
export function argoInstallManifest(): string {
  return join(moduleDir("kube-build/argocd", "github.com/argoproj/argo-cd/v3"), "manifests/install.yaml");
}

export interface ArgoCdOptions {
  argocdBin: string;
  /** Directories put first on the repo-server's PATH: helm and kustomize. */
  toolBins: string[];
  kubeconfig: string;
  dir: string;
  logDir: string;
}

export async function startArgoCd(o: ArgoCdOptions): Promise<ArgoCd> {
  const procs: Proc[] = [];
  const stop = async () => {
    for (const p of [...procs].reverse()) await p.stop();
  };
  mkdirSync(join(o.dir, "tmp"), { recursive: true });
  try {
    const [redisPort, repoPort, serverPort] = [await freePort(), await freePort(), await freePort()];
    const redisAddr = `127.0.0.1:${redisPort}`;
    const redis = new Proc({
      name: "argocd-redis",
      cmd: ["redis-server", "--bind", "127.0.0.1", "--port", String(redisPort), "--save", "", "--appendonly", "no"],
      logDir: o.logDir,
      echo: false,
    });
    procs.push(redis);
    await waitFor("redis", () => tcpOpen(redisPort), 20_000, redis);

    const argocd = join(o.argocdBin, "argocd");
    const common = {
      PATH: [...o.toolBins, process.env.PATH].join(":"),
      HOME: o.dir,
      // The `https://kubernetes.default.svc` destination: Argo CD's own switch
      // (used by `argocd --core` too) that makes the in-cluster cluster use
      // KUBECONFIG instead of a pod's service-account files.
      ARGOCD_FAKE_IN_CLUSTER: "true",
      KUBECONFIG: o.kubeconfig,
      ARGOCD_GPG_ENABLED: "false",
    };
    const start = async (binaryName: string, args: string[], env: Record<string, string> = {}) => {
      const proc = new Proc({
        name: binaryName,
        cmd: [argocd, ...args, "--loglevel=warn"],
        env: { ...common, ...env, ARGOCD_BINARY_NAME: binaryName },
        cwd: o.dir,
        logDir: o.logDir,
        echo: false,
      });
      procs.push(proc);
      return proc;
    };

    const repoServer = await start(
      "argocd-repo-server",
      [
        "--address=127.0.0.1",
        `--port=${repoPort}`,
        "--metrics-address=127.0.0.1",
        `--metrics-port=${await freePort()}`,
        `--redis=${redisAddr}`,
        "--disable-tls",
      ],
      {
        HELM_CACHE_HOME: join(o.dir, "helm/cache"),
        HELM_CONFIG_HOME: join(o.dir, "helm/config"),
        HELM_DATA_HOME: join(o.dir, "helm/data"),
        TMPDIR: join(o.dir, "tmp"),
      },
    );
    await waitFor("argocd-repo-server", () => tcpOpen(repoPort), 60_000, repoServer);

    const controllerArgs = async () => [
      `--kubeconfig=${o.kubeconfig}`,
      "--namespace=argocd",
      `--repo-server=127.0.0.1:${repoPort}`,
      "--repo-server-plaintext",
      // Rendering Dapr's chart can take over the default 60 s on a loaded 2-core machine.
      "--repo-server-timeout-seconds=300",
      `--redis=${redisAddr}`,
      `--metrics-port=${await freePort()}`,
    ];
    let controller = await start("argocd-application-controller", await controllerArgs());

    const server = await start("argocd-server", [
      `--kubeconfig=${o.kubeconfig}`,
      "--namespace=argocd",
      "--insecure",
      "--address=127.0.0.1",
      `--port=${serverPort}`,
      `--metrics-port=${await freePort()}`,
      `--repo-server=127.0.0.1:${repoPort}`,
      "--repo-server-plaintext",
      "--repo-server-timeout-seconds=300",
      `--redis=${redisAddr}`,
      "--dex-server=http://127.0.0.1:1",
      `--staticassets=${join(o.dir, "no-ui")}`,
    ]);
    await waitFor("argocd-server", () => tcpOpen(serverPort), 60_000, server);

    return {
      server: `127.0.0.1:${serverPort}`,
      procs,
      async restartController() {
        await controller.stop();
        procs.splice(procs.indexOf(controller), 1);
        controller = await start("argocd-application-controller", await controllerArgs());
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
