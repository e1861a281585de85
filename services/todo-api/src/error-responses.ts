// The error statuses todo-api's public routes document in /openapi, each
// with the one error body every service answers with (ErrorBody in @todo/shared).
import { ErrorBody } from "@todo/shared";

export const errors = {
  400: ErrorBody,
  401: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
  422: ErrorBody,
  429: ErrorBody,
};

/** A route that asks another service may also answer that it failed (502) or cannot be reached (503). */
export const upstreamErrors = { ...errors, 502: ErrorBody, 503: ErrorBody };
