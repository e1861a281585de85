// A loopback-only control port for the integration tests: they stop, kill
// and restart parts of the running stack through it (fault scenarios), while
// the launcher stays the one owner of every process. POST
// /procs/<name>/{stop,kill,start} (any process, extra instances by name, e.g.
// todo-api-2), POST /topics/<topic>/{delete,create}.
import type { AppId } from "@todo/shared";
import { parseReplica, SERVICE_ORDER } from "./ports.ts";
import { INFRA_NAMES, type InfraName, type Stack } from "./stack.ts";

export function startControl(stack: Stack) {
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    // Starting a sidecar or Kafka can take longer than Bun's default 10 s idle timeout.
    idleTimeout: 120,
    async fetch(req) {
      const [, what, name, action] = new URL(req.url).pathname.split("/");
      if (req.method === "POST" && what === "topics" && name && (action === "delete" || action === "create")) {
        return (action === "delete" ? stack.deleteTopic(name) : stack.createTopic(name)).then(
          () => new Response(null, { status: 204 }),
          (err) => new Response(err instanceof Error ? err.message : String(err), { status: 500 }),
        );
      }
      if (req.method !== "POST" || what !== "procs" || !name) return new Response("not found", { status: 404 });
      const proc = stack.procs.get(name);
      const appId = name.replace(/-dapr$/, "") as AppId;
      try {
        switch (action) {
          case "stop":
            await stack.stopProc(name);
            break;
          case "kill":
            await proc?.kill();
            break;
          case "start":
            if (proc?.running) break; // already up (a supervisor restart may have won the race)
            if ((INFRA_NAMES as readonly string[]).includes(name)) await stack.startInfra(name as InfraName);
            else if (parseReplica(appId)) await stack.startReplica(appId, name.endsWith("-dapr") ? "sidecar" : "app");
            else if (!SERVICE_ORDER.includes(appId)) return new Response(`cannot start ${name}`, { status: 400 });
            else await (name.endsWith("-dapr") ? stack.startSidecar(appId) : stack.startApp(appId));
            break;
          default:
            return new Response("unknown action", { status: 404 });
        }
        return new Response(null, { status: 204 });
      } catch (err) {
        return new Response(err instanceof Error ? err.message : String(err), { status: 500 });
      }
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, stop: () => server.stop(true) };
}
