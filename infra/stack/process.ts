// Runs one child process of the stack: its output goes, line by line, to its
// own log file and (when echoing) to the console with a coloured [name]
// prefix. Stopping sends the polite signal first and SIGKILL after a grace.
import type { Subprocess } from "bun";
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";

const COLORS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94, 91];
let nextColor = 0;

export interface ProcOptions {
  name: string;
  cmd: string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
  logDir: string;
  echo: boolean;
  stopSignal?: NodeJS.Signals;
  /** Called when the process exits without being asked to (crash): a supervisor's restart. */
  onCrash?: () => void;
}

export class Proc {
  readonly logFile: string;
  readonly exited: Promise<number>;
  private readonly child: Subprocess<"ignore", "pipe", "pipe">;
  private stopping = false;
  private tail: string[] = [];
  /**
   * The log file, open while the child's output is read: a stack under load
   * prints thousands of lines a second, and opening the file per line cost the
   * launcher 3–5× the CPU of a write on an open descriptor.
   */
  private logFd: number | null;

  constructor(private readonly options: ProcOptions) {
    mkdirSync(options.logDir, { recursive: true });
    this.logFile = join(options.logDir, `${options.name}.log`);
    // Appended, not truncated: a process started again keeps its earlier life in the same log.
    appendFileSync(this.logFile, existsSync(this.logFile) ? `--- started again ${new Date().toISOString()}\n` : "");
    this.logFd = openSync(this.logFile, "a");
    this.child = Bun.spawn(withParentDeathSignal(options.cmd), {
      cwd: options.cwd,
      env: { ...process.env, ...options.env } as Record<string, string>,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const color = COLORS[nextColor++ % COLORS.length];
    const prefix = `\x1b[${color}m${options.name.padEnd(18)}|\x1b[0m `;
    void Promise.all([this.pump(this.child.stdout, prefix), this.pump(this.child.stderr, prefix)]).finally(() => {
      if (this.logFd !== null) closeSync(this.logFd);
      this.logFd = null;
    });
    this.exited = this.child.exited.then((code) => {
      if (!this.stopping) {
        this.line(prefix, `process exited unexpectedly with code ${code}${options.onCrash ? "; restarting" : ""}`);
        options.onCrash?.();
      }
      return code;
    });
  }

  get name() {
    return this.options.name;
  }

  get pid() {
    return this.child.pid;
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines it printed, for error messages. */
  lastLines(n = 20): string {
    return this.tail.slice(-n).join("\n");
  }

  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.child.kill(this.options.stopSignal ?? "SIGTERM");
    const timedOut = await Promise.race([this.child.exited.then(() => false), Bun.sleep(graceMs).then(() => true)]);
    if (timedOut) {
      this.child.kill("SIGKILL");
      await this.child.exited;
    }
  }

  /** Kills without grace, as a crash would. */
  async kill(): Promise<void> {
    this.stopping = true;
    this.child.kill("SIGKILL");
    await this.child.exited;
  }

  private async pump(stream: ReadableStream<Uint8Array>, prefix: string) {
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of stream) {
      buffered += decoder.decode(chunk, { stream: true });
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      if (lines.length) this.lines(prefix, lines);
    }
    if (buffered) this.lines(prefix, [buffered]);
  }

  private line(prefix: string, line: string) {
    this.lines(prefix, [line]);
  }

  /** A chunk's lines, written to the log in one call. */
  private lines(prefix: string, lines: string[]) {
    const text = `${lines.join("\n")}\n`;
    if (this.logFd !== null) writeSync(this.logFd, text);
    else appendFileSync(this.logFile, text); // the output is closed; a last word from the launcher
    this.tail.push(...lines);
    if (this.tail.length > 200) this.tail.splice(0, this.tail.length - 100);
    if (this.options.echo) process.stdout.write(lines.map((line) => `${prefix + line}\n`).join(""));
  }
}

const SETPRIV = Bun.which("setpriv");

/**
 * Children get SIGTERM from the kernel if the launcher itself dies (even by
 * SIGKILL), so no stack process outlives it as an orphan.
 */
function withParentDeathSignal(cmd: string[]): string[] {
  if (!SETPRIV) return cmd;
  if (cmd[0] === "setpriv") return ["setpriv", "--pdeathsig", "TERM", ...cmd.slice(1)];
  return [SETPRIV, "--pdeathsig", "TERM", "--", ...cmd];
}

/** Polls `check` until it holds, failing with `what` at the deadline or when `proc` dies. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  proc?: Proc,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (proc && !proc.running) throw new Error(`${what}: ${proc.name} exited\n${proc.lastLines()}`);
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not ready after ${timeoutMs / 1000}s${proc ? `\n--- last lines of ${proc.logFile}:\n${proc.lastLines()}` : ""}`,
      );
    }
    await Bun.sleep(150);
  }
}

export async function tcpOpen(port: number, host = "127.0.0.1"): Promise<boolean> {
  try {
    const socket = await Bun.connect({ hostname: host, port, socket: { data() {} } });
    socket.end();
    return true;
  } catch {
    return false;
  }
}

export async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** Runs a command to completion, failing with its output when it fails. */
export async function run(
  cmd: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<string> {
  const child = Bun.spawn(cmd, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env } as Record<string, string>,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (code !== 0) throw new Error(`${cmd.join(" ")} failed (${code}):\n${err || out}`);
  return out;
}

export function step(message: string) {
  process.stderr.write(`\x1b[1m==>\x1b[0m ${message}\n`);
}
