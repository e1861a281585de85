// Ctrl-C (or a polite kill) of `bun run test` in the middle of a tier stops
// everything the run started: the launcher passes the signal on to the
// tier's `bun test` (its process group) and waits for it, and a process that
// started others (the delivery tier's control plane, Argo CD, redis) stops
// them before it exits. Each case signals a real process tree and then looks
// for survivors in /proc.
import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { eventually } from "../support/stack.ts";

const repoRoot = resolve(import.meta.dir, "../..");

/** pid → [parent pid, start time]: the start time tells a survivor from a new process given the same pid. */
function processTable(): Map<number, [number, string]> {
  const table = new Map<number, [number, string]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z") continue; // exited, not yet reaped
      table.set(Number(entry), [Number(fields[1]), fields[19]!]);
    } catch {
      // gone while we looked
    }
  }
  return table;
}

/** Every process below `root` right now, as "pid@start time". */
function descendants(root: number): Set<string> {
  const table = processTable();
  const found = new Set<string>();
  const walk = (pid: number) => {
    for (const [child, [parent, start]] of table)
      if (parent === pid && !found.has(`${child}@${start}`)) {
        found.add(`${child}@${start}`);
        walk(child);
      }
  };
  walk(root);
  return found;
}

const alive = (ids: Iterable<string>) => {
  const table = processTable();
  return [...ids].filter((id) => {
    const [pid, start] = id.split("@");
    return table.get(Number(pid))?.[1] === start;
  });
};

const commandOf = (id: string) => {
  const pid = id.split("@")[0];
  return existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ") : "";
};

test("SIGTERM to a process that owns another: it stops what it started, then exits 143", async () => {
  let tree = new Set<string>();
  const owner = Bun.spawn(["bun", join(repoRoot, "test/fixtures/signals/owner.ts")], {
    stdout: "pipe",
    stderr: "inherit",
  });
  try {
    const reader = owner.stdout.getReader();
    let out = "";
    while (!/owned \d+/.test(out)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the fixture ended before starting its process: ${out}`);
      out += new TextDecoder().decode(value);
    }
    tree = descendants(owner.pid);
    expect(tree.size).toBeGreaterThan(0);
    owner.kill("SIGTERM");
    expect(await owner.exited).toBe(143);
    expect(alive(tree)).toEqual([]);
  } finally {
    owner.kill("SIGKILL");
    for (const id of alive(tree)) process.kill(Number(id.split("@")[0]), "SIGKILL");
  }
});

test("SIGINT to `bun run test` during a tier: the tier's bun test and everything below it are gone when it exits 130", async () => {
  // The gitops scope goes straight to its tier's `bun test` (no stack, no lint), which renders for minutes.
  const launcher = Bun.spawn(["bun", join(repoRoot, "infra/stack/test.ts")], {
    cwd: repoRoot,
    env: { ...process.env, TEST_SCOPE: "gitops" },
    stdout: "ignore",
    stderr: "ignore",
    detached: true, // a group of its own, so whatever the test leaves behind can be killed in one go
  });
  const seen = new Set<string>();
  try {
    await eventually(
      "the gitops tier's bun test to be running",
      () => {
        for (const id of descendants(launcher.pid)) seen.add(id);
        return [...seen].some((id) => commandOf(id).includes("bun test")) || undefined;
      },
      30_000,
    );
    for (const id of descendants(launcher.pid)) seen.add(id);
    launcher.kill("SIGINT");
    const code = await Promise.race([launcher.exited, Bun.sleep(60_000).then(() => "still running")]);
    expect(code).toBe(130);
    expect(alive(seen).map(commandOf)).toEqual([]);
  } finally {
    for (const id of alive(seen)) process.kill(Number(id.split("@")[0]), "SIGKILL");
    try {
      process.kill(-launcher.pid, "SIGKILL");
    } catch {
      // the group is gone, as it should be
    }
  }
}, 120_000);
