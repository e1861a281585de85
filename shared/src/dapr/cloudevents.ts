// Dapr delivers pub/sub messages as CloudEvents with the content type
// application/cloudevents+json, which Elysia does not parse: Elysia workaround 7
// (docs/architecture.md, "Elysia workarounds").
import { Elysia } from "elysia";

const CLOUDEVENT_TYPES = new Set(["application/cloudevents+json", "application/cloudevents-batch+json"]);

export interface CloudEvent<T = unknown> {
  id: string;
  source?: string;
  type?: string;
  specversion?: string;
  datacontenttype?: string;
  topic?: string;
  pubsubname?: string;
  time?: string;
  traceparent?: string;
  data?: T;
  data_base64?: string;
  [extension: string]: unknown;
}

/** Parses CloudEvent bodies as JSON in every route of the app that uses it. */
export const cloudEventParser = new Elysia({ name: "cloudevent-parser" }).onParse(
  { as: "global" },
  async ({ request, contentType }) => {
    const type = contentType?.split(";")[0]?.trim().toLowerCase();
    if (type && CLOUDEVENT_TYPES.has(type)) return request.json();
  },
);

export function isCloudEvent(value: unknown): value is CloudEvent {
  return typeof value === "object" && value !== null && typeof (value as CloudEvent).id === "string";
}
