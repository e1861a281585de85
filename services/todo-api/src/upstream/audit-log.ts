// audit-log's GET history (HistoryQuery → HistoryPage in @todo/shared), through the sidecar.
import { APP_IDS, type DaprClient, type HistoryPage, type HistoryQuery } from "@todo/shared";
import { invokeUpstream } from "./invoke.ts";

export interface AuditLog {
  history(query: HistoryQuery): Promise<HistoryPage>;
}

export function auditLog(dapr: DaprClient): AuditLog {
  return {
    history: ({ task_id, limit, ...rest }) =>
      invokeUpstream(dapr, APP_IDS.auditLog, "history", {
        query: { ...rest, task_id: task_id?.toString(), limit: limit?.toString() },
      }),
  };
}
