// A Kubernetes control plane of host processes on free loopback ports: etcd
// and kube-apiserver (and, for workloads, kube-controller-manager and
// kube-scheduler), built by infra/setup/kube-tools.sh. No node, no kubelet:
// kwok supplies fake ones where a test needs pods (see kwok.ts).
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { Proc, waitFor } from "../stack/process.ts";

export interface ControlPlane {
  server: string;
  token: string;
  kubeconfig: string;
  procs: Proc[];
  stop(): Promise<void>;
}

/** A port the kernel just handed out on 127.0.0.1 and took back. */
export async function freePort(): Promise<number> {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}

/** Resolves when GET path answers 200 with the admin token (the API server serves a self-signed certificate). */
export async function apiOk(server: string, token: string, path: string): Promise<boolean> {
  try {
    const res = await fetch(server + path, {
      headers: { authorization: `Bearer ${token}` },
      tls: { rejectUnauthorized: false },
      signal: AbortSignal.timeout(2000),
    });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

export interface ControlPlaneOptions {
  apiserverBin: string;
  etcdBin: string;
  /** Where kube-controller-manager and kube-scheduler are, to run them too (Deployments, ReplicaSets, scheduling). */
  controllersBin?: string;
  dir: string;
  logDir: string;
}

export async function startControlPlane(o: ControlPlaneOptions): Promise<ControlPlane> {
  mkdirSync(o.dir, { recursive: true });
  const procs: Proc[] = [];
  const stop = async () => {
    for (const p of procs.reverse()) await p.stop();
  };
  try {
    const [clientPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${clientPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const etcd = new Proc({
      name: "etcd",
      cmd: [
        join(o.etcdBin, "etcd"),
        "--name=default",
        `--data-dir=${join(o.dir, "etcd")}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=default=${peerUrl}`,
        "--log-level=warn",
      ],
      logDir: o.logDir,
      echo: false,
    });
    procs.push(etcd);

    // The API server signs service-account tokens with this key; the admin authenticates with a static token.
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeFileSync(join(o.dir, "sa.key"), privateKey.export({ type: "pkcs8", format: "pem" }));
    writeFileSync(join(o.dir, "sa.pub"), publicKey.export({ type: "spki", format: "pem" }));
    const token = randomBytes(24).toString("hex");
    writeFileSync(join(o.dir, "tokens.csv"), `${token},admin,admin,"system:masters"\n`, { mode: 0o600 });
    const server = `https://127.0.0.1:${apiPort}`;
    await waitFor("etcd", async () => (await fetch(`${etcdUrl}/health`)).ok, 30_000, etcd);
    const apiserver = new Proc({
      name: "kube-apiserver",
      cmd: [
        join(o.apiserverBin, "kube-apiserver"),
        `--etcd-servers=${etcdUrl}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        `--secure-port=${apiPort}`,
        `--cert-dir=${join(o.dir, "certs")}`,
        `--token-auth-file=${join(o.dir, "tokens.csv")}`,
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        `--service-account-key-file=${join(o.dir, "sa.pub")}`,
        `--service-account-signing-key-file=${join(o.dir, "sa.key")}`,
        "--service-cluster-ip-range=10.96.0.0/16",
        // On loopback the default reconciler would publish 127.0.0.1 as the kubernetes Service's endpoint and refuse to.
        "--endpoint-reconciler-type=none",
        "--profiling=false",
      ],
      logDir: o.logDir,
      echo: false,
    });
    procs.push(apiserver);
    await waitFor("kube-apiserver", () => apiOk(server, token, "/readyz"), 90_000, apiserver);

    const kubeconfig = join(o.dir, "kubeconfig");
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "test", cluster: { server, "insecure-skip-tls-verify": true } }],
        users: [{ name: "admin", user: { token } }],
        contexts: [{ name: "test", context: { cluster: "test", user: "admin" } }],
        "current-context": "test",
      }),
      { mode: 0o600 },
    );

    if (o.controllersBin) {
      procs.push(
        new Proc({
          name: "kube-controller-manager",
          cmd: [
            join(o.controllersBin, "kube-controller-manager"),
            `--kubeconfig=${kubeconfig}`,
            "--controllers=*",
            "--use-service-account-credentials=false",
            `--service-account-private-key-file=${join(o.dir, "sa.key")}`,
            `--root-ca-file=${join(o.dir, "certs", "apiserver.crt")}`,
            "--bind-address=127.0.0.1",
            `--secure-port=${await freePort()}`,
            "--leader-elect=false",
          ],
          logDir: o.logDir,
          echo: false,
        }),
      );
      procs.push(
        new Proc({
          name: "kube-scheduler",
          cmd: [
            join(o.controllersBin, "kube-scheduler"),
            `--kubeconfig=${kubeconfig}`,
            "--bind-address=127.0.0.1",
            `--secure-port=${await freePort()}`,
            "--leader-elect=false",
          ],
          logDir: o.logDir,
          echo: false,
        }),
      );
    }
    return { server, token, kubeconfig, procs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
