import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A figure of the service's own state, read when /metrics is scraped (never kept up to date between scrapes). */
export interface ServiceGauge {
  readonly name: string;
  readonly help: string;
  /** One value, or one per label value (an alarm per code, say); a store's count may be awaited. */
  readonly read: () => number | ReadonlyMap<string, number> | Promise<number>;
  /** The label that tells the values of a map apart. */
  readonly label?: string;
}

/**
 * `GET /metrics` in Prometheus's text format (issue 16): requests by method, route template
 * and status, their durations (an append's latency is POST /v1/entries's; a failed login is a
 * 401 of POST /api/login), the process's memory, and the service's own gauges. Routes are
 * counted by template (`/api/requests/:id`), never by path, so no case id reaches a metric.
 * Each app has its own registry: several services may share a process (the demo, tests).
 */
export function registerMetrics(app: FastifyInstance, service: string, gauges: readonly ServiceGauge[] = []): void {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  const requests = new Counter({ name: 'evenhand_http_requests_total', help: 'HTTP requests answered, by method, route template and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const durations = new Histogram({ name: 'evenhand_http_request_duration_seconds', help: 'Time to answer an HTTP request, by method and route template', labelNames: ['method', 'route'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] });
  new Gauge({ name: 'evenhand_process_resident_memory_bytes', help: 'Resident memory of the process', registers: [registry], collect() { this.set(process.memoryUsage().rss); } });
  for (const gauge of gauges) {
    new Gauge({
      name: gauge.name,
      help: gauge.help,
      labelNames: gauge.label ? [gauge.label] : [],
      registers: [registry],
      async collect() {
        const value = await gauge.read();
        if (typeof value === 'number') return void this.set(value);
        this.reset();
        for (const [label, each] of value) this.set({ [gauge.label ?? 'key']: label }, each);
      },
    });
  }
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    durations.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => reply.header('content-type', registry.contentType).send(await registry.metrics()));
}
