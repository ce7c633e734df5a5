// The single-node bus: signals stay in this process (DESIGN §3, "without DRONE_REDIS_CONNECTION").

import { EventEmitter } from 'node:events';
import type { Bus, BuildEvent, Unsubscribe, WakeScope } from '../core/bus.js';

export class MemoryBus implements Bus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every parked poll, held watch and live view subscribes; the default limit of 10 would warn.
    this.emitter.setMaxListeners(0);
  }

  /** There are no other servers: a wake for the others only goes nowhere. */
  publishWake(to: WakeScope = 'all'): void {
    if (to === 'all') this.emitter.emit('wake');
  }

  onWake(handler: () => void): Unsubscribe {
    return this.on('wake', handler);
  }

  publishCancel(buildId: number): void {
    this.emitter.emit('cancel', buildId);
  }

  onCancel(handler: (buildId: number) => void): Unsubscribe {
    return this.on('cancel', handler);
  }

  publishEvent(event: BuildEvent): void {
    this.emitter.emit('event', event);
  }

  onEvent(handler: (event: BuildEvent) => void): Unsubscribe {
    return this.on('event', handler);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }

  private on<A extends unknown[]>(name: string, handler: (...args: A) => void): Unsubscribe {
    const listener = (...args: unknown[]): void => {
      // A subscriber's failure must not break the publisher or the other subscribers.
      try {
        handler(...(args as A));
      } catch {
        /* ignored */
      }
    };
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
