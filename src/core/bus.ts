// Cross-server signals (DESIGN §3.1, §3.4). Everything on the bus may be lost: the database sweep on every
// server re-checks parked polls and held watches, so a lost message costs at most one sweep interval.

export type Unsubscribe = () => void;

/**
 * A build changed (created, a stage or step started or ended, cancelled). Only ids travel: a server with
 * live viewers loads the build once and shows it to them; a server without viewers does nothing.
 */
export interface BuildEvent {
  repoId: number;
  buildId: number;
}

export type WakeScope = 'all' | 'others';

export interface Bus {
  /**
   * Work may be available (a stage became pending, or a concurrency slot freed): retry parked polls, on
   * every server or only on the others (this server's own have had their turn).
   */
  publishWake(to?: WakeScope): void;
  onWake(handler: () => void): Unsubscribe;
  /** A build was cancelled: watches held for it on any server answer at once. */
  publishCancel(buildId: number): void;
  onCancel(handler: (buildId: number) => void): Unsubscribe;
  /** A build changed (for live views). */
  publishEvent(event: BuildEvent): void;
  onEvent(handler: (event: BuildEvent) => void): Unsubscribe;
  close(): Promise<void>;
}
