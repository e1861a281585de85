// The local trace backend: Zipkin's server (infra/setup/zipkin.sh), in
// memory, on loopback. Dapr's sidecars export their spans to it natively,
// and so do our services (shared/src/tracing). Its UI and query API are at
// its URL. Also writes the sidecars' extra Configuration that points their
// tracing at it (the port moves with the stack's offset, so it cannot live
// in dapr/config.yaml).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { httpOk, Proc, waitFor } from "./process.ts";

export interface ZipkinOptions {
  jar: string;
  port: number;
  logDir: string;
  echo: boolean;
  track: (proc: Proc) => void;
}

export const zipkinUrl = (port: number) => `http://127.0.0.1:${port}`;

export async function startZipkin(o: ZipkinOptions): Promise<string> {
  const proc = new Proc({
    name: "zipkin",
    cmd: [
      "java",
      "-Xmx256m",
      "-XX:+UseSerialGC",
      // The C1 compiler only: starts in half the time on two busy cores, fast enough for a test's traces.
      "-XX:TieredStopAtLevel=1",
      // Armeria closes idle connections after 15 s by default; a sidecar's Go client reusing one at that
      // moment got "connection reset" and dropped its batch of spans. Keep them past Go's 90 s instead.
      "-Dcom.linecorp.armeria.defaultServerIdleTimeoutMillis=300000",
      "-jar",
      o.jar,
      `--armeria.ports[0].port=${o.port}`,
      "--armeria.ports[0].ip=127.0.0.1",
      "--logging.level.root=WARN",
    ],
    // Zipkin keeps the newest spans up to this count and drops the oldest traces. 200 000 did not fit
    // the 256 MB heap: the hour soak's Zipkin died of OutOfMemoryError after 17 minutes (2026-12-02T2255).
    // 50 000 is minutes of a busy stack's traces, what a developer looks at.
    env: { STORAGE_TYPE: "mem", MEM_MAX_SPANS: "50000" },
    logDir: o.logDir,
    echo: o.echo,
  });
  o.track(proc);
  const url = zipkinUrl(o.port);
  await waitFor(`Zipkin on port ${o.port}`, () => httpOk(`${url}/health`), 180_000, proc);
  return url;
}

/**
 * The sidecars' tracing: `samplingRate` of the traces they start (1 for
 * development and tests: every request), exported to this stack's Zipkin.
 * Passed after dapr/config.yaml (later configuration files add to earlier
 * ones). Returns the file's path.
 */
export function writeSidecarTracingConfig(stateDir: string, zipkinPort: number, samplingRate = 1): string {
  const file = join(stateDir, "dapr-tracing.yaml");
  const config = {
    apiVersion: "dapr.io/v1alpha1",
    kind: "Configuration",
    metadata: { name: "tracing" },
    spec: {
      tracing: {
        samplingRate: String(samplingRate),
        zipkin: { endpointAddress: `${zipkinUrl(zipkinPort)}/api/v2/spans` },
      },
    },
  };
  writeFileSync(file, `# Written by infra/stack/zipkin.ts on every start.\n${stringify(config)}`);
  return file;
}
