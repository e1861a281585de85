// The second ws-sync instance (`ws-sync-2`, with its own sidecar), started
// through the launcher's control port for a test file and stopped after it.
// With WS_SYNC_REPLICAS=2 it already runs; then it is left running.
import { control } from "../../../test/support/stack.ts";

export const REPLICA = "ws-sync-2";

export async function startReplica(): Promise<{ stop(): Promise<void> }> {
  const started: string[] = [];
  const start = async (name: string) => {
    try {
      await control(name, "start");
      started.push(name);
    } catch (err) {
      if (!String(err).includes("409")) throw err; // already running (WS_SYNC_REPLICAS=2)
    }
  };
  // Together: the sidecar reports healthy only once its app answers, and the app waits for its sidecar.
  await Promise.all([start(`${REPLICA}-dapr`), start(REPLICA)]);
  return {
    stop: async () => {
      for (const name of started.reverse()) await control(name, "stop");
    },
  };
}
