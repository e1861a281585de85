// Strimzi ships its CRDs only inside its GitHub release archives and its
// OCI Helm chart; neither npm nor Maven Central carries them (io.strimzi:api
// 1.2.0 holds the Java model classes only, its sources jar no YAML either).
// So this is a hand-written, strict subset of the kafka.strimzi.io/v1
// schemas, field names and enums as the Strimzi API reference gives them,
// limited to the fields this repository uses. Anything else fails, unknown
// fields included: adding a field means adding it here, after checking the
// reference.
const str = { type: "string" };
const int = { type: "integer" };
const quantity = { anyOf: [str, { type: "number" }] };
const strict = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: "object",
  additionalProperties: false,
  properties,
  required,
});
const metadata = strict(
  {
    name: str,
    namespace: str,
    labels: { type: "object", additionalProperties: str },
    annotations: { type: "object", additionalProperties: str },
  },
  ["name"],
);
const resource = (spec: object) =>
  strict({ apiVersion: { const: "kafka.strimzi.io/v1" }, kind: str, metadata, spec }, [
    "apiVersion",
    "kind",
    "metadata",
    "spec",
  ]);
const resources = strict({
  requests: strict({ cpu: quantity, memory: quantity }),
  limits: strict({ cpu: quantity, memory: quantity }),
});

const volume = strict(
  {
    id: int,
    type: { enum: ["ephemeral", "persistent-claim"] },
    size: str,
    sizeLimit: str,
    class: str,
    deleteClaim: { type: "boolean" },
    kraftMetadata: { enum: ["shared"] },
  },
  ["type"],
);

export const STRIMZI_SCHEMAS: Record<string, object> = {
  KafkaNodePool: resource(
    strict(
      {
        replicas: { type: "integer", minimum: 0 },
        roles: { type: "array", minItems: 1, items: { enum: ["controller", "broker"] } },
        storage: strict(
          { type: { enum: ["jbod", "ephemeral", "persistent-claim"] }, volumes: { type: "array", items: volume } },
          ["type"],
        ),
        resources,
      },
      ["replicas", "roles", "storage"],
    ),
  ),
  Kafka: resource(
    strict(
      {
        kafka: strict(
          {
            version: str,
            metadataVersion: str,
            listeners: {
              type: "array",
              minItems: 1,
              items: strict(
                {
                  name: { type: "string", pattern: "^[a-z0-9]{1,11}$" },
                  port: { type: "integer", minimum: 9092 },
                  type: { enum: ["internal", "route", "loadbalancer", "nodeport", "ingress", "cluster-ip"] },
                  tls: { type: "boolean" },
                },
                ["name", "port", "type", "tls"],
              ),
            },
            config: { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } },
          },
          ["listeners"],
        ),
        entityOperator: strict({ topicOperator: strict({ resources }), userOperator: strict({ resources }) }),
      },
      ["kafka"],
    ),
  ),
  KafkaTopic: resource(
    strict({
      topicName: str,
      partitions: { type: "integer", minimum: 1 },
      replicas: { type: "integer", minimum: 1, maximum: 32767 },
      config: { type: "object" },
    }),
  ),
};
