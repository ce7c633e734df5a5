// Prometheus metrics (`/metrics`): Drone's gauges plus Hangar's queue depth and dispatch latency.

import client from 'prom-client';
import type { BuildStore } from '../core/store.js';

export class Metrics {
  readonly registry = new client.Registry();
  /** Time from a stage becoming pending to a runner's Accept, in seconds. */
  readonly dispatchLatency: client.Histogram;
  readonly parkedPolls: client.Gauge;
  readonly heldWatches: client.Gauge;

  constructor(builds: BuildStore, live: { parkedPolls: () => number; heldWatches: () => number }) {
    this.dispatchLatency = new client.Histogram({
      name: 'hangar_dispatch_latency_seconds',
      help: 'Time from a stage becoming pending to its acceptance by a runner',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [this.registry],
    });
    this.parkedPolls = new client.Gauge({
      name: 'hangar_parked_polls',
      help: 'Runner requests parked on this server',
      registers: [this.registry],
      collect() {
        this.set(live.parkedPolls());
      },
    });
    this.heldWatches = new client.Gauge({
      name: 'hangar_held_watches',
      help: 'Build watches held on this server',
      registers: [this.registry],
      collect() {
        this.set(live.heldWatches());
      },
    });
    // Drone's gauges, read from the database when scraped (one query for all four).
    let counts: ReturnType<BuildStore['counts']> | undefined;
    const read = async () => {
      counts ??= builds.counts().finally(() => setTimeout(() => (counts = undefined), 0));
      return counts;
    };
    const gauge = (name: string, help: string, pick: (c: Awaited<ReturnType<BuildStore['counts']>>) => number) =>
      new client.Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set(pick(await read()));
        },
      });
    gauge('drone_pending_builds', 'Total number of pending builds', (c) => c.pendingBuilds);
    gauge('drone_running_builds', 'Total number of running builds', (c) => c.runningBuilds);
    gauge('drone_pending_jobs', 'Total number of pending stages (the queue depth)', (c) => c.pendingStages);
    gauge('drone_running_jobs', 'Total number of running stages', (c) => c.runningStages);
    client.collectDefaultMetrics({ register: this.registry, prefix: 'hangar_' });
  }
}
