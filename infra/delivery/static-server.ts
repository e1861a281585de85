// Serves the files of one directory on 127.0.0.1 (the delivery tests' Helm
// repository), as its own process: the tests block their own event loop
// while they wait on kubectl and argocd, and Argo CD must still reach it.
// Usage: bun static-server.ts <dir> <port>
import { join, normalize } from "node:path";

const [dir, port] = process.argv.slice(2);
if (!dir || !port) throw new Error("usage: bun static-server.ts <dir> <port>");
Bun.serve({
  hostname: "127.0.0.1",
  port: Number(port),
  async fetch(req) {
    const name = normalize(new URL(req.url).pathname).replace(/^\/+/, "");
    const file = Bun.file(join(dir, name));
    if (!name || name.startsWith("..") || !(await file.exists())) return new Response("not found", { status: 404 });
    return new Response(file);
  },
});
console.log(`serving ${dir} on 127.0.0.1:${port}`);
