// `bun bench/profile-shares.ts <file.cpuprofile>`: where a service's CPU
// samples go, by package. A sample counts for the innermost frame that has
// a source file, so time in a native call (a socket write, JSON.stringify,
// crypto) counts for the library that made the call. `bun run bench` with
// BENCH_PROFILE=<dir> writes todo-api's profiles there.
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

/** The bucket of a source file: its npm package, or the workspace folder it lives in. */
export function bucketOf(url: string): string | null {
  if (!url) return null;
  const pkg = url.match(/.*node_modules\/(@[^/]+\/[^/]+|[^/]+)\//);
  if (pkg) return pkg[1]!;
  const own = url.match(/\/(services\/[^/]+|shared)\/src\/([^/]+)/);
  if (own) return `${own[1]}/${own[2]!.replace(/\.ts$/, "")}`;
  if (url.startsWith("bun:") || url.startsWith("node:")) return url.split(/[:/]/).slice(0, 2).join(":");
  return url;
}

export function shares(profile: Profile): { bucket: string; samples: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const bucketOfNode = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = bucketOfNode.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const own = bucketOf(node.callFrame.url);
    const up = parent.get(id);
    const bucket = own ?? (up === undefined ? `native: ${node.callFrame.functionName || "?"}` : resolve(up));
    bucketOfNode.set(id, bucket);
    return bucket;
  };
  const counts = new Map<string, number>();
  for (const id of profile.samples) {
    const node = byId.get(id);
    // The idle loop is not work; the share is of the samples where the process ran.
    if (!node || node.callFrame.functionName === "(idle)") continue;
    const bucket = resolve(id);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return [...counts]
    .map(([bucket, samples]) => ({ bucket, samples, share: samples / total }))
    .sort((a, b) => b.samples - a.samples);
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: bun bench/profile-shares.ts <file.cpuprofile>");
  const rows = shares(JSON.parse(readFileSync(file, "utf8")) as Profile);
  const total = rows.reduce((a, r) => a + r.samples, 0);
  console.log(`${total} samples\n| bucket | samples | share |\n|---|---|---|`);
  for (const r of rows.slice(0, 25)) console.log(`| ${r.bucket} | ${r.samples} | ${(r.share * 100).toFixed(1)} % |`);
}
