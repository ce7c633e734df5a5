// Each server's heartbeat for the cluster page: every few seconds one upsert of its live figures (parked
// runner requests and their filters, held watches, event viewers, draining), and a goodbye on a graceful
// stop. A server that dies just stops being seen; nothing depends on these rows but the page.

import { randomUUID } from 'node:crypto';
import type { ClusterStore, ServerHeartbeat, ServerState } from '../core/store.js';

export const HEARTBEAT_INTERVAL_MS = 5_000;
/** A server not seen for three heartbeats is gone. */
export const ALIVE_WITHIN_MS = 3 * HEARTBEAT_INTERVAL_MS;

export class ClusterHeartbeat {
  readonly id = randomUUID();
  private readonly started = Date.now();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: ClusterStore,
    /** Where this server listens (known once it does) and its version. */
    private readonly identity: () => { address: string; version: string },
    private readonly state: () => ServerState,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.store.leave(this.id).catch(this.onError);
  }

  /** This server's figures now (fresher than its last heartbeat). */
  current(): ServerHeartbeat {
    return { id: this.id, ...this.identity(), started: this.started, state: this.state() };
  }

  private async beat(): Promise<void> {
    await this.store.heartbeat(this.current()).catch(this.onError);
  }
}
