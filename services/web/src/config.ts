// Plain TypeBox: Elysia's numeric t types are transforms that do not convert from the environment.
import { Type as t } from "@sinclair/typebox";
import { baseConfig, loadConfig } from "@todo/shared";

export const loadWebConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(
    {
      ...baseConfig(3005, 3505),
      /** Where browsers open the live-sync WebSocket; in clusters the ingress serves /ws on the same host. */
      WS_URL: t.String({ default: "/ws" }),
      /** Development sign-in (a token for any user name): never enable it where real users are. */
      DEV_LOGIN: t.Union([t.Literal("true"), t.Literal("false")], { default: "false" }),
      MAX_BODY_BYTES: t.Integer({ minimum: 1024, default: 256 * 1024 }),
    },
    env,
  );
export type Config = ReturnType<typeof loadWebConfig>;
