// A real SMTP server in the test process (the smtp-server package), on the
// port the launcher pointed notification at. It keeps what it receives and
// can refuse chosen recipients with a permanent 550.
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  raw: string;
  receivedAt: number;
}

export class Mailbox {
  readonly received: ReceivedMail[] = [];
  readonly refused = new Set<string>();
  /** Runs after a message is read and before the server answers that it accepted it. */
  beforeAccept: ((mail: ReceivedMail) => Promise<void>) | undefined;
  private server: SMTPServer | undefined;

  constructor(readonly port: number) {}

  async open(): Promise<void> {
    const server = new SMTPServer({
      // Plain local SMTP: no TLS certificate to trust, no login to give.
      disabledCommands: ["STARTTLS", "AUTH"],
      authOptional: true,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.refused.has(address.address.toLowerCase())) {
          return callback(Object.assign(new Error("No such user here"), { responseCode: 550 }));
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          const mail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: header(raw, "subject"),
            raw,
            receivedAt: Date.now(),
          };
          this.received.push(mail);
          const accept = this.beforeAccept?.(mail) ?? Promise.resolve();
          accept.then(
            () => callback(),
            (err: Error) => callback(err),
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address.toLowerCase()));
  }
}

/** An unfolded header value (nodemailer folds long lines). */
function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? "";
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name}:`));
  return line ? line.slice(name.length + 1).trim() : "";
}
