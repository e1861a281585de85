// A WebSocket client that completes the handshake and then never reads
// again, as a frozen browser tab or a peer behind a dead link would: the
// server's frames pile up in the kernel and then in the server's buffer.
import { connect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";

export async function stalledSocket(port: number, token: string): Promise<Socket> {
  const socket = connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.write(
    [
      `GET /ws?token=${encodeURIComponent(token)} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}`,
      "Sec-WebSocket-Version: 13",
      "",
      "",
    ].join("\r\n"),
  );
  // Read up to the server's `ready` frame, then stop reading for good.
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString("latin1");
      // TCP may split the status line: judge it only once it is complete.
      if (!seen.includes("\r\n")) return;
      if (!seen.startsWith("HTTP/1.1 101")) return reject(new Error(`handshake refused: ${seen.split("\r\n")[0]}`));
      if (seen.includes('"type":"ready"')) {
        socket.off("data", onData);
        socket.pause();
        resolve();
      }
    };
    socket.on("data", onData);
  });
  return socket;
}
