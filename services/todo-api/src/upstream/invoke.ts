// How todo-api's public routes call another service through its sidecar
// (the shared DaprClient) and answer for it: the callee's 404 and 422 are
// passed on as ours, a callee that cannot be reached is a 503, and any other
// answer a 502. Only a body in our ErrorBody shape counts as the callee's own
// answer: a sidecar that cannot resolve the app also says 404.
import { AppError, invalid, notFound, readErrorBody, type DaprClient, type InvokeOptions } from "@todo/shared";

export async function invokeUpstream<T>(
  dapr: DaprClient,
  appId: string,
  path: string,
  options: InvokeOptions,
  missing = "Not found",
): Promise<T> {
  let res: Response;
  try {
    res = await dapr.invoke(appId, path, options);
  } catch {
    throw new AppError(503, "unavailable", `${appId} is not reachable right now`);
  }
  if (res.ok) return (await res.json()) as T;
  const error = readErrorBody(await res.text());
  if (res.status === 404 && error?.code === "not_found") throw notFound(missing);
  if (res.status === 422 && error?.fields) throw invalid(error.fields);
  throw new AppError(502, "upstream_failed", `${appId} answered ${res.status}`);
}
