// Policies on the settings a rendered Deployment hands its app through the
// environment. A value is known when it is written in the render (env value,
// or a key of a rendered ConfigMap); a Secret reference counts as set, since
// cloud Secrets are created out of band and never rendered.
import { APP_IDS, SECRET_STORE } from "@todo/shared";
import { label, ofKind, type K8sObject } from "./render.ts";

const FROM_SECRET = "(from a Secret)";

/** The variables the app container of `d` gets, with their values where the render says them. */
export function containerEnv(d: K8sObject, objects: K8sObject[]): Map<string, string | undefined> {
  const app = (d.spec?.template?.spec?.containers ?? []).find((c: any) => c.name === "app") ?? {};
  const configMap = (name: string) => ofKind(objects, "ConfigMap").find((c) => c.metadata.name === name)?.data ?? {};
  const env = new Map<string, string | undefined>();
  for (const from of app.envFrom ?? [])
    if (from.configMapRef)
      for (const [k, v] of Object.entries(configMap(from.configMapRef.name))) env.set(k, String(v));
  for (const e of app.env ?? []) {
    if (e.value !== undefined) env.set(e.name, e.value);
    else if (e.valueFrom?.configMapKeyRef)
      env.set(e.name, configMap(e.valueFrom.configMapKeyRef.name)[e.valueFrom.configMapKeyRef.key]);
    else if (e.valueFrom?.secretKeyRef) env.set(e.name, FROM_SECRET);
  }
  return env;
}

const appId = (d: K8sObject) => d.spec?.template?.metadata?.annotations?.["dapr.io/app-id"];
const deploymentsOf = (objects: K8sObject[], id: string) =>
  ofKind(objects, "Deployment").filter((d) => appId(d) === id);
const missing = (env: Map<string, string | undefined>, names: string[]) => names.filter((n) => !env.get(n));

/**
 * Wherever notification can get an SMTP password (SMTP_PASSWORD, or the
 * secret store's smtp-password unless the render holds it empty, as the
 * local env does), it also gets the SMTP_USER to log in with: without a user
 * the mailer never authenticates and a submission port answers 530.
 */
export function smtpLoginProblems(objects: K8sObject[]): string[] {
  const store = ofKind(objects, "Component").find((c) => c.metadata.name === SECRET_STORE);
  const storeServesNotification = !!store && (!store.scopes?.length || store.scopes.includes(APP_IDS.notification));
  const rendered = ofKind(objects, "Secret").find((s) => s.metadata.name === "smtp-password");
  const renderedEmpty = !!rendered && !(rendered.data?.["smtp-password"] || rendered.stringData?.["smtp-password"]);
  return deploymentsOf(objects, APP_IDS.notification).flatMap((d) => {
    const env = containerEnv(d, objects);
    const getsPassword = !!env.get("SMTP_PASSWORD") || (storeServesNotification && !renderedEmpty);
    return getsPassword && !env.get("SMTP_USER")
      ? [`${label(d)}: gets an SMTP password but no SMTP_USER, so it never logs in`]
      : [];
  });
}

/** Each service that verifies the API's tokens is told the issuer and audience to require. */
export function tokenClaimProblems(objects: K8sObject[], verifiers: string[]): string[] {
  return verifiers.flatMap((id) => {
    const found = deploymentsOf(objects, id);
    if (!found.length) return [`Deployment for ${id}: not rendered`];
    return found.flatMap((d) =>
      missing(containerEnv(d, objects), ["JWT_ISSUER", "JWT_AUDIENCE"]).map(
        (n) => `${label(d)}: verifies tokens but ${n} is not set`,
      ),
    );
  });
}
