// `bun run token <user> [email] [name]`: prints a bearer token for local
// development, signed with the local secret store's throwaway jwt-secret.
// JWT_SECRET, JWT_ISSUER and JWT_AUDIENCE sign for a cluster instead: the
// cloud env requires the issuer and audience of its token-settings.yaml.
// It expires in 30 days: every service refuses a token without `exp`.
import { signToken } from "@todo/shared";
import { join } from "node:path";

const [user, email, name] = process.argv.slice(2);
if (!user) {
  console.error("usage: bun run token <user> [email] [name]");
  process.exit(2);
}
const secrets = await Bun.file(join(import.meta.dir, "../../../dapr/secrets.local.json")).json();
const token = await signToken(
  process.env.JWT_SECRET ?? secrets["jwt-secret"],
  {
    sub: user,
    ...(email ? { email } : {}),
    ...(name ? { name } : {}),
  },
  { expiresIn: "30d", issuer: process.env.JWT_ISSUER, audience: process.env.JWT_AUDIENCE },
);
console.log(token);
