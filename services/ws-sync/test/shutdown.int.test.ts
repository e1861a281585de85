// Stopping ws-sync (SIGTERM, as Kubernetes and the launcher do) closes every
// socket with 1001 Going Away first, so clients reconnect to another replica
// at once; the server then stops. Before, the server waited for the sockets
// it had not closed yet, and clients saw the connection drop without a close
// frame (1006). Runs on the second instance, so the main one keeps serving
// the other tests.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { newUser } from "../../../test/support/api.ts";
import { control, eventually, stack } from "../../../test/support/stack.ts";
import { recordingSocket } from "./raw-socket.ts";
import { REPLICA, startReplica } from "./replica.ts";

let replica: Awaited<ReturnType<typeof startReplica>> | undefined;
beforeAll(async () => {
  replica = await startReplica();
}, 120_000);
afterAll(async () => {
  await replica?.stop();
});

test("on SIGTERM every connected client gets a close frame with 1001", async () => {
  const port = stack().replicas![REPLICA]!.ports.app;
  const [ann, ben] = [await newUser("shutdown-a"), await newUser("shutdown-b")];
  const clients = [
    await recordingSocket(port, ann.token),
    await recordingSocket(port, ann.token),
    await recordingSocket(port, ben.token),
  ];

  await control(REPLICA, "stop"); // SIGTERM; returns once the process is gone (SIGKILL after 10 s)
  const codes = await eventually(
    "every client's close frame",
    () => {
      const seen = clients.map((c) => c.closeCode());
      return seen.every((c) => c !== undefined) ? seen : undefined;
    },
    15_000,
  );
  expect(codes).toEqual([1001, 1001, 1001]);
  for (const c of clients) c.socket.destroy();

  await control(REPLICA, "start"); // as it was, for whoever stops it
}, 120_000);
