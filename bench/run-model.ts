// The shape of one bench run as report.ts writes it and compare.ts reads it back.
import type { ConsumerRun } from "./consumers.ts";
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
  startupSeconds: number;
  r2: Record<string, unknown[]>;
  r3: Record<string, R3Run[]>;
  /** R5, absent from runs before it existed. */
  r5?: ConsumerRun[];
}
