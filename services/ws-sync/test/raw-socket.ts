// WebSocket clients at the wire level, over a plain TCP socket: one that
// completes the handshake and then never reads again, as a frozen browser
// tab or a peer behind a dead link would (the server's frames pile up in the
// kernel and then in the server's buffer); and one that keeps every byte, to
// read the close code exactly as the server sent it (Bun's own WebSocket
// client reports a received 1001 as 1000, or 1006 when the server's FIN
// follows at once).
import { connect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";

/** Opens /ws with the token as the `bearer` subprotocol; resolves once the `ready` frame arrived. */
async function handshake(port: number, token: string, onData: (chunk: Buffer) => void): Promise<Socket> {
  const socket = connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.write(
    [
      "GET /ws HTTP/1.1",
      `Host: 127.0.0.1:${port}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}`,
      "Sec-WebSocket-Version: 13",
      `Sec-WebSocket-Protocol: bearer, ${token}`,
      "",
      "",
    ].join("\r\n"),
  );
  socket.on("data", onData);
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    const untilReady = (chunk: Buffer) => {
      seen += chunk.toString("latin1");
      // TCP may split the status line: judge it only once it is complete.
      if (!seen.includes("\r\n")) return;
      if (!seen.startsWith("HTTP/1.1 101")) return reject(new Error(`handshake refused: ${seen.split("\r\n")[0]}`));
      if (seen.includes('"type":"ready"')) {
        socket.off("data", untilReady);
        resolve();
      }
    };
    socket.on("data", untilReady);
  });
  return socket;
}

export async function stalledSocket(port: number, token: string): Promise<Socket> {
  const socket = await handshake(port, token, () => {});
  socket.pause(); // stop reading for good
  return socket;
}

export interface RecordingSocket {
  socket: Socket;
  /** The status code of the server's close frame, once one arrived. */
  closeCode(): number | undefined;
}

export async function recordingSocket(port: number, token: string): Promise<RecordingSocket> {
  let bytes = Buffer.alloc(0);
  const socket = await handshake(port, token, (chunk) => (bytes = Buffer.concat([bytes, chunk])));
  return { socket, closeCode: () => closeFrameCode(bytes.subarray(bytes.indexOf("\r\n\r\n") + 4)) };
}

/** Walks unmasked server frames (RFC 6455 section 5.2) to the first close frame's status code. */
function closeFrameCode(frames: Buffer): number | undefined {
  let at = 0;
  while (at + 2 <= frames.length) {
    const opcode = frames[at]! & 0x0f;
    const short = frames[at + 1]! & 0x7f;
    const header = short === 126 ? 4 : short === 127 ? 10 : 2;
    if (at + header > frames.length) return undefined; // not all here yet
    const length =
      short === 126 ? frames.readUInt16BE(at + 2) : short === 127 ? Number(frames.readBigUInt64BE(at + 2)) : short;
    if (at + header + length > frames.length) return undefined;
    if (opcode === 0x8) return length >= 2 ? frames.readUInt16BE(at + header) : 1005;
    at += header + length;
  }
  return undefined;
}
