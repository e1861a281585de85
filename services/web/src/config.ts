import { Type } from "@sinclair/typebox";
import { configLoader } from "@todo/shared";

export const loadConfig = configLoader(
  { port: 3005, daprPort: 3505 },
  {
    /** Where browsers open the live-sync WebSocket; in clusters the ingress serves /ws on the same host. */
    WS_URL: Type.String({ default: "/ws" }),
    /** Development sign-in (a token for any user name): never enable it where real users are. */
    DEV_LOGIN: Type.Union([Type.Literal("true"), Type.Literal("false")], { default: "false" }),
    MAX_BODY_BYTES: Type.Integer({ minimum: 1024, default: 256 * 1024 }),
  },
);
export type Config = ReturnType<typeof loadConfig>;
