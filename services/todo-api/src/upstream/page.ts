// Paging of the lists todo-api passes on from another service (history, notifications).
import { t } from "elysia";
import { invalid } from "@todo/shared";

export const PageQuery = t.Object({
  cursor: t.Optional(t.String({ maxLength: 500 })),
  limit: t.Optional(t.Integer({ description: "1 to 100" })),
});

/** A page size as the callees take it, 1 to 100: checked before asking, so the 422 names our parameter. */
export function pageLimit(limit: number | undefined): number | undefined {
  if (limit !== undefined && (limit < 1 || limit > 100)) throw invalid({ limit: "must be from 1 to 100" });
  return limit;
}
