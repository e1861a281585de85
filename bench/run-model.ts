// The shape of one bench run as report.ts writes it and compare.ts reads it back.
import type { ConsumerRun } from "./consumers.ts";
import type { CpuPerWrite } from "./footprint.ts";
import type { R3Run } from "./reminders.ts";

export interface Figure {
  name: string;
  unit: string;
  runs: number[];
}

export interface BenchRun {
  date: string;
  partial: boolean;
  machine: unknown;
  versions: unknown;
  settings: unknown;
  figures: Figure[];
  ratios: Figure[];
  footprint: unknown;
  /** One entry per R1 round; absent in runs before the figure existed. */
  cpuPerWrite?: CpuPerWrite[];
  /** The same for R4's reads, one entry per round. */
  cpuPerRead?: CpuPerWrite[];
  /** R4: reads/s, pgbench's selects/s and their ratio; absent in older runs. */
  reads?: Figure[];
  startupSeconds: number;
  r2: Record<string, unknown[]>;
  r3: Record<string, R3Run[]>;
  /** R5, absent from runs before it existed. */
  r5?: ConsumerRun[];
}
