// Graceful leave (DESIGN §3a "Drain"): first /healthz answers 503 so the load balancer stops sending new
// requests; then the drain starts: every parked long-poll and held watch is answered, SSE viewers are
// disconnected, so runners and browsers move to the other servers.

export class Drain {
  private readonly controller = new AbortController();
  private unhealthy = false;

  /** /healthz fails from now on. */
  beginUnhealthy(): void {
    this.unhealthy = true;
  }

  get healthy(): boolean {
    return !this.unhealthy && !this.started;
  }

  get started(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborts when the drain starts. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  start(): void {
    this.unhealthy = true;
    this.controller.abort();
  }
}
