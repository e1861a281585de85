// todo-api's POST /internal/occurrences, through our sidecar. Transport
// failures and 5xx throw (the event is retried); 4xx answers are decisions.
import {
  APP_IDS,
  DaprError,
  readErrorBody,
  type DaprClient,
  type OccurrenceRequest,
  type OccurrenceResult,
} from "@todo/shared";
import type { CreateOutcome, TaskApi } from "../occurrences/service.ts";

export function todoApiTasks(dapr: DaprClient): TaskApi {
  return {
    async createOccurrence(request: OccurrenceRequest) {
      const res = await dapr.invoke(APP_IDS.todoApi, "internal/occurrences", { method: "POST", body: request });
      const text = await res.text();
      if (res.status === 201 || res.status === 200) {
        const body = JSON.parse(text) as OccurrenceResult;
        return { outcome: (res.status === 201 ? "created" : "existed") as CreateOutcome, taskId: body.task.id };
      }
      if (res.status === 409) return { outcome: "deleted" as const };
      // 404 is also how a sidecar reports an app it cannot resolve yet: only
      // todo-api's own error body makes it a decision.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429 && readErrorBody(text)) {
        return { outcome: "rejected" as const, detail: `${res.status} ${text.slice(0, 500)}` };
      }
      throw new DaprError("invoke todo-api internal/occurrences", res.status, text);
    },
  };
}
