// What every results file records about the run: the machine it ran on and
// the minute it started, as its file name (2026-11-27T1920).
import { cpus, release, totalmem } from "node:os";

export const machine = () => ({
  cores: cpus().length,
  cpu: cpus()[0]?.model,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  kernel: release(),
});

export const runDate = (at = new Date()) => at.toISOString().slice(0, 16).replace(":", "");
