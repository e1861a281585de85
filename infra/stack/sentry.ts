// Dapr Sentry, the certificate authority behind mTLS: every sidecar and the
// Scheduler get their identity (an X.509 SPIFFE certificate) from it. On its
// first start in a data directory it generates the root and issuer into that
// directory; later starts reuse them, so the trust bundle is one per data
// directory and never leaves it.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { httpOk, Proc, waitFor } from "./process.ts";

/** The control plane's trust domain (Sentry's and the Scheduler's); the apps' own is `public` (docs/security.md). */
export const CONTROL_PLANE_TRUST_DOMAIN = "localhost";
/**
 * The namespace the sidecars claim: the clusters' (gitops/), so an app has
 * the same SPIFFE id, spiffe://public/ns/todo/<app id>, here and there, and
 * one set of access policies fits both.
 */
export const APP_NAMESPACE = "todo";

export interface SentryOptions {
  binDir: string;
  dataDir: string;
  port: number;
  healthPort: number;
  logDir: string;
  echo: boolean;
}

export interface Sentry {
  proc: Proc;
  address: string;
  /** The root certificate (PEM) every sidecar must trust: DAPR_TRUST_ANCHORS. */
  trustAnchors: string;
  trustAnchorsFile: string;
}

export async function startSentry(o: SentryOptions): Promise<Sentry> {
  const credentials = join(o.dataDir, "credentials");
  mkdirSync(credentials, { recursive: true });
  // Sentry refuses to start without a Configuration; this one only sets how
  // long a workload certificate lives (the sidecars renew it before then).
  const config = join(o.dataDir, "sentry-config.yaml");
  writeFileSync(
    config,
    [
      "apiVersion: dapr.io/v1alpha1",
      "kind: Configuration",
      "metadata: { name: daprsystem }",
      "spec:",
      "  mtls: { enabled: true, workloadCertTTL: 24h, allowedClockSkew: 15m }",
      "",
    ].join("\n"),
  );
  const proc = new Proc({
    name: "dapr-sentry",
    cmd: [
      join(o.binDir, "sentry"),
      `--issuer-credentials=${credentials}`,
      `--trust-domain=${CONTROL_PLANE_TRUST_DOMAIN}`,
      `--config=${config}`,
      `--port=${o.port}`,
      "--listen-address=127.0.0.1",
      // Sentry 1.18 ignores --healthz-listen-address: its health check answers on every interface (nothing else does).
      `--healthz-port=${o.healthPort}`,
      // Sentry's metrics server ignores --metrics-listen-address (1.18) and would listen on every interface.
      "--enable-metrics=false",
      "--log-level=warn",
    ],
    logDir: o.logDir,
    echo: o.echo,
  });
  // Healthy once the CA is loaded or generated, so the root is on disk by then.
  await waitFor(
    `Dapr Sentry on port ${o.port}`,
    () => httpOk(`http://127.0.0.1:${o.healthPort}/healthz`),
    30_000,
    proc,
  );
  const trustAnchorsFile = join(credentials, "ca.crt");
  return {
    proc,
    address: `127.0.0.1:${o.port}`,
    trustAnchors: readFileSync(trustAnchorsFile, "utf8"),
    trustAnchorsFile,
  };
}
