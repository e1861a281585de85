// The process's one Prometheus registry (prom-client's default), and
// get-or-create helpers: tests build an app many times in one process, and
// prom-client refuses to register a metric name twice.
import {
  Counter,
  Gauge,
  Histogram,
  register,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from "prom-client";

export const metricsRegistry = register;

function existing<T>(name: string): T | undefined {
  return register.getSingleMetric(name) as T | undefined;
}

export function counter<L extends string>(config: CounterConfiguration<L>): Counter<L> {
  return existing<Counter<L>>(config.name) ?? new Counter(config);
}

export function gauge<L extends string>(config: GaugeConfiguration<L>): Gauge<L> {
  return existing<Gauge<L>>(config.name) ?? new Gauge(config);
}

export function histogram<L extends string>(config: HistogramConfiguration<L>): Histogram<L> {
  return existing<Histogram<L>>(config.name) ?? new Histogram(config);
}

/**
 * A gauge read at scrape time. Its reader is replaced by the latest app
 * built in this process (tests build several), never stacked.
 */
export function scrapedGauge<L extends string>(
  config: Omit<GaugeConfiguration<L>, "collect">,
  read: (g: Gauge<L>) => void | Promise<void>,
): Gauge<L> {
  readers.set(config.name, read as Reader);
  const name = config.name;
  // prom-client calls collect on every scrape, with the gauge as `this`.
  return gauge<L>({
    ...config,
    async collect() {
      await readers.get(name)?.(this as unknown as Gauge<string>);
    },
  });
}
type Reader = (g: Gauge<string>) => void | Promise<void>;
const readers = new Map<string, Reader>();

/** Latency buckets in seconds, 5 ms to 30 s: HTTP handlers, publishes and consumer handlers alike. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
