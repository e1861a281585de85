// Fetches or builds what the stack runs (Postgres, Kafka, Dapr), each by its
// idempotent script in infra/setup, in parallel, showing their progress.
import { join } from "node:path";
import { step } from "./process.ts";

export interface Tools {
  postgresBin: string;
  kafkaHome: string;
  daprBin: string;
}

export async function ensureTools(repoRoot: string): Promise<Tools> {
  const script = async (name: string) => {
    const child = Bun.spawn(["bash", join(repoRoot, "infra/setup", `${name}.sh`)], { stdout: "pipe", stderr: "inherit" });
    const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    if (code !== 0) throw new Error(`infra/setup/${name}.sh failed with code ${code}`);
    return out.trim().split("\n").at(-1) ?? "";
  };
  const started = Date.now();
  const [postgresBin, kafkaHome, daprBin] = await Promise.all([script("postgres"), script("kafka"), script("dapr")]);
  const seconds = (Date.now() - started) / 1000;
  if (seconds > 2) step(`tools ready in ${seconds.toFixed(0)}s`);
  return { postgresBin, kafkaHome, daprBin };
}
