// The security matrix three ways: as docs/security.md's table states it, and
// as Dapr resources (Configurations and pub/sub components) grant it, each
// flattened to sorted lines such as "web -> todo-api GET /healthz", so a test
// can compare them and a difference reads as a list of grants.
import type { AppId } from "@todo/shared";

export interface Matrix {
  calls: string[];
  publishes: string[];
  subscribes: string[];
  secrets: string[];
}

// Loosely typed, as parsed from YAML: the functions look inside.
type Resource = { kind: string; metadata: { name: string }; [key: string]: any };

const sorted = (lines: Iterable<string>) => [...new Set(lines)].sort();
const codeSpans = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/**
 * Reads the table under "Who may do what". Secrets marked "(local only)" are
 * left out unless `local` is set: clusters do not grant them.
 */
export function matrixFromTable(markdown: string, { local }: { local: boolean }): Matrix {
  const section = markdown.slice(markdown.indexOf("## Who may do what"));
  const rows = section
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| App ") && !l.startsWith("|---"))
    .map((l) =>
      l
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  const m: Matrix = { calls: [], publishes: [], subscribes: [], secrets: [] };
  const topics = (app: string, cell: string) =>
    cell === "—"
      ? []
      : cell.split(";").flatMap((part) => {
          const [component, ...names] = codeSpans(part);
          return names.map((t) => `${app} ${component}/${t}`);
        });
  for (const [app = "", calls = "", publishes = "", subscribes = "", secrets = ""] of rows) {
    if (calls !== "—")
      for (const part of calls.split(";")) {
        const callee = part.slice(0, part.indexOf(":")).trim();
        for (const op of codeSpans(part)) m.calls.push(`${app} -> ${callee} ${op}`);
      }
    m.publishes.push(...topics(app, publishes));
    m.subscribes.push(...topics(app, subscribes));
    if (secrets !== "—")
      for (const entry of secrets.split(","))
        if (local || !entry.includes("(local only)")) m.secrets.push(...codeSpans(entry).map((s) => `${app} ${s}`));
  }
  return {
    calls: sorted(m.calls),
    publishes: sorted(m.publishes),
    subscribes: sorted(m.subscribes),
    secrets: sorted(m.secrets),
  };
}

/** What the Configurations (one per app, named by its app id) and the pub/sub components grant. */
export function matrixFromResources(resources: Resource[]): Matrix {
  const m: Matrix = { calls: [], publishes: [], subscribes: [], secrets: [] };
  for (const config of resources.filter((r) => r.kind === "Configuration")) {
    const callee = config.metadata.name;
    for (const policy of config.spec.accessControl?.policies ?? [])
      for (const op of policy.operations ?? [])
        if (op.action === "allow")
          for (const verb of op.httpVerb) m.calls.push(`${policy.appId} -> ${callee} ${verb} ${op.name}`);
    for (const scope of config.spec.secrets?.scopes ?? [])
      for (const s of scope.allowedSecrets ?? []) m.secrets.push(`${callee} ${s}`);
  }
  for (const component of resources.filter((r) => r.kind === "Component" && r.spec.type.startsWith("pubsub."))) {
    const scoped = (name: string) => {
      const value: string = component.spec.metadata.find((e: { name: string }) => e.name === name)?.value ?? "";
      return value
        .split(";")
        .filter(Boolean)
        .flatMap((entry) => {
          const [app, list = ""] = entry.split("=");
          return list
            .split(",")
            .filter(Boolean)
            .map((t) => `${app} ${component.metadata.name}/${t}`);
        });
    };
    m.publishes.push(...scoped("publishingScopes"));
    m.subscribes.push(...scoped("subscriptionScopes"));
  }
  return {
    calls: sorted(m.calls),
    publishes: sorted(m.publishes),
    subscribes: sorted(m.subscribes),
    secrets: sorted(m.secrets),
  };
}

/**
 * What must hold of every app's Configuration whatever the matrix says:
 * deny by default, identities of trust domain `public` in namespace `todo`,
 * only `allow` entries. Returns the problems found.
 */
export function accessControlProblems(configs: Resource[], apps: readonly AppId[]): string[] {
  const problems: string[] = [];
  for (const app of apps) {
    const config = configs.find((c) => c.kind === "Configuration" && c.metadata.name === app);
    if (!config) {
      problems.push(`${app}: no Configuration`);
      continue;
    }
    const acl = config.spec.accessControl ?? {};
    if (acl.defaultAction !== "deny" || acl.trustDomain !== "public")
      problems.push(`${app}: accessControl must deny by default in trust domain public`);
    for (const p of acl.policies ?? [])
      if (
        p.defaultAction !== "deny" ||
        p.trustDomain !== "public" ||
        p.namespace !== "todo" ||
        p.operations.some((o: { action: string }) => o.action !== "allow")
      )
        problems.push(
          `${app}: the policy for ${p.appId} must deny by default, name trust domain public and namespace todo, and only allow`,
        );
    const scopes = config.spec.secrets?.scopes ?? [];
    if (!scopes.length || scopes.some((s: { defaultAccess: string }) => s.defaultAccess !== "deny"))
      problems.push(`${app}: secret scopes must deny by default`);
  }
  return problems;
}

/** Apps a pub/sub component is scoped to but does not name in both of its topic scopes: Dapr would let them use any topic. */
export function unscopedPubsubApps(components: Resource[]): string[] {
  return components
    .filter((c) => c.kind === "Component" && c.spec.type.startsWith("pubsub."))
    .flatMap((c) =>
      ((c.scopes ?? []) as string[]).flatMap((app) =>
        ["publishingScopes", "subscriptionScopes"]
          .filter(
            (name) =>
              !String(c.spec.metadata.find((e: { name: string }) => e.name === name)?.value ?? "")
                .split(";")
                .some((entry) => entry.split("=")[0] === app),
          )
          .map((name) => `${c.metadata.name}: ${app} missing from ${name}`),
      ),
    );
}
