// The capacity model: what one machine's measured costs say the cloud
// environment sustains. Pure arithmetic over the inputs, so a unit test can
// hold it and bench/capacity.ts can recompute it from any results JSON.

export interface ProcessCost {
  /** CPU per unit of work (a create, an event), in core-ms. */
  appCoreMs: number;
  sidecarCoreMs: number;
}

export interface ConsumerInput extends ProcessCost {
  service: string;
  topic: string;
  /** The kind of event, when the consumer's cost depends on it (recurring's completions). */
  work?: string;
  /** Events/s one replica handled with the topic's events spread over all partitions. */
  perReplica: number;
  /** Events/s one partition carried to this consumer (every event under one key). */
  perPartition: number;
  /** Events of this kind per task write (1 for task-events; reminders and completions are a fraction). */
  eventsPerWrite: number;
  /**
   * Every replica reads every event (ws-sync's per-instance group, so each
   * one can push to its own sockets): more replicas add no throughput.
   */
  fanOut: boolean;
}

export interface CloudSettings {
  partitions: number;
  todoApiMaxReplicas: number;
  consumerMaxReplicas: Record<string, number>;
  /** CPU limits per container, in cores. */
  appCpuLimit: number;
  sidecarCpuLimit: number;
  /** vCPUs of the managed Postgres the operator picks (an assumption, stated in the report). */
  databaseVcpus: number;
}

export interface ModelInputs {
  todoApi: ProcessCost & { measuredCreatesPerSecond: number };
  postgresCoreMsPerWrite: number;
  consumers: ConsumerInput[];
  cloud: CloudSettings;
}

export interface Limit {
  part: string;
  writesPerSecond: number;
  why: string;
  next: string;
}

/** Units of work per second that `cores` allow at `coreMs` each; NaN when the cost was not measured. */
const perCore = (coreMs: number, cores: number) =>
  !Number.isFinite(coreMs) ? NaN : coreMs > 0 ? (cores * 1000) / coreMs : Infinity;

/** Each part's ceiling in task writes per second, lowest first. */
export function capacityLimits(m: ModelInputs): Limit[] {
  const c = m.cloud;
  const replicaCreates = Math.min(
    perCore(m.todoApi.appCoreMs, c.appCpuLimit),
    perCore(m.todoApi.sidecarCoreMs, c.sidecarCpuLimit),
  );
  const limits: Limit[] = [
    {
      part: "todo-api",
      writesPerSecond: replicaCreates * c.todoApiMaxReplicas,
      why: `${c.todoApiMaxReplicas} replicas × ${round(replicaCreates)} creates/s each (CPU limit ${c.appCpuLimit} core app, ${c.sidecarCpuLimit} sidecar)`,
      next: "raise the HPA's maxReplicas or the CPU limit; Postgres then follows",
    },
    {
      part: "Postgres",
      writesPerSecond: perCore(m.postgresCoreMsPerWrite, c.databaseVcpus),
      why: `${c.databaseVcpus} vCPU ÷ ${round(m.postgresCoreMsPerWrite)} core-ms per write (every service's database work, measured on one instance)`,
      next: "a larger database tier (vCPUs), then a read replica for listings",
    },
  ];
  for (const k of m.consumers) {
    const cpuBound = Math.min(perCore(k.appCoreMs, c.appCpuLimit), perCore(k.sidecarCoreMs, c.sidecarCpuLimit));
    const maxReplicas = c.consumerMaxReplicas[k.service] ?? 1;
    // A partition goes to one replica of a group; replicas beyond the partition count idle.
    const replicas = k.fanOut ? 1 : Math.min(maxReplicas, c.partitions);
    const partitionsEach = k.fanOut ? c.partitions : c.partitions / replicas;
    const perReplica = Math.min(cpuBound, k.perPartition * partitionsEach, k.fanOut ? k.perReplica : Infinity);
    const events = replicas * perReplica;
    limits.push({
      part: k.work ? `${k.service} (${k.work})` : k.service,
      writesPerSecond: events / Math.max(k.eventsPerWrite, 1e-9),
      why: k.fanOut
        ? `every replica reads all of ${k.topic}: one replica's ${round(perReplica)} events/s`
        : `${replicas} replicas × ${round(perReplica)} events/s (${partitionsEach} partition(s) each at ${round(k.perPartition)}/s, CPU bound ${round(cpuBound)}/s), ${k.eventsPerWrite} event(s) per write`,
      next: k.fanOut
        ? "a larger CPU limit per replica (every replica handles every update), or fewer events per write"
        : replicas < maxReplicas
          ? `more partitions for ${k.topic} (replicas beyond ${c.partitions} would idle)`
          : `raise maxReplicaCount for ${k.service}, with partitions to match`,
    });
  }
  // Unmeasured parts (NaN) go last: they cannot be the one that saturates first.
  const key = (l: Limit) => (Number.isNaN(l.writesPerSecond) ? Infinity : l.writesPerSecond);
  return limits.sort((a, b) => key(a) - key(b));
}

const round = (x: number) => (Number.isFinite(x) ? (x >= 100 ? Math.round(x) : Math.round(x * 10) / 10) : Infinity);
