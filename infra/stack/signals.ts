// What a process that owns other processes does on Ctrl-C (SIGINT) or a
// polite kill (SIGTERM): it stops what it started, newest first, and exits
// 128 + the signal's number. Without a handler Bun dies at once and whatever
// it started keeps running (a control plane, Argo CD, redis, a tier's
// `bun test`). A second signal during the clean-up changes nothing: the
// clean-ups are already under way, each with its own deadline.
import type { Subprocess } from "bun";

type Cleanup = (signal: NodeJS.Signals) => Promise<void>;

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
const cleanups: Cleanup[] = [];
let installed = false;
let stopping = false;

/**
 * Registers a clean-up to run on SIGINT or SIGTERM (the ones registered last
 * run first, like nested `finally` blocks); returns what unregisters it once
 * the thing is stopped the ordinary way.
 */
export function onStopSignal(cleanup: Cleanup): () => void {
  cleanups.push(cleanup);
  if (!installed) {
    installed = true;
    for (const signal of Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[])
      process.on(signal, () => void stopAndExit(signal));
  }
  return () => {
    const i = cleanups.indexOf(cleanup);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

async function stopAndExit(signal: keyof typeof EXIT_CODES): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const cleanup of [...cleanups].reverse()) {
    await cleanup(signal).catch((err) => console.error(`stopping on ${signal}:`, err));
  }
  process.exit(EXIT_CODES[signal]);
}

/**
 * Ties a child spawned `detached` (the leader of its own process group) to
 * this process's stop signals: on SIGINT or SIGTERM its group is stopped
 * (see stopGroup). A terminal's Ctrl-C then reaches this process only, which
 * passes it on once and waits, instead of every process of the tree hearing
 * it at once and this one dying first.
 */
export function stoppedWithGroup<T extends Subprocess>(child: T, graceMs: number): T {
  const unregister = onStopSignal((signal) => stopGroup(child, signal, graceMs));
  void child.exited.then(unregister);
  return child;
}

/**
 * Stops a child that leads its own process group (spawned `detached`): the
 * signal goes to the whole group, so grandchildren hear it too; whatever is
 * left of the group after `graceMs` is killed.
 */
export async function stopGroup(child: Subprocess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  const group = -child.pid;
  const send = (s: NodeJS.Signals) => {
    try {
      process.kill(group, s);
    } catch {
      // ESRCH: nobody left in the group
    }
  };
  send(signal);
  await Promise.race([child.exited, Bun.sleep(graceMs)]);
  // Also after a clean exit: a grandchild that outlived its parent is still in the group.
  send("SIGKILL");
}
