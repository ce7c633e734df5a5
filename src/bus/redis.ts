// The bus over Redis pub/sub (DESIGN §3.1, §3.4): wake-ups, cancel hints and build events reach every
// server. Publishing never waits and never fails a caller: a lost message costs at most one sweep
// interval. Each server delivers its own messages locally at once (not through Redis) and ignores its own
// echo; a cancel is also published on Drone's `drone-cancel` channel, with Drone's payload (the build id).

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Bus, BuildEvent, Unsubscribe, WakeScope } from '../core/bus.js';

const WAKE = 'hangar-wake';
const CANCEL = 'drone-cancel';
const EVENTS = 'hangar-events';

export interface RedisBusOptions {
  /** Fail-fast command connection (offline queue off, short timeout). */
  commands: Redis;
  /** A connection dedicated to SUBSCRIBE. */
  subscriber: Redis;
  onError?: (err: unknown) => void;
}

export class RedisBus implements Bus {
  private readonly local = new EventEmitter();
  private readonly origin = randomBytes(6).toString('hex');

  constructor(private readonly options: RedisBusOptions) {
    this.local.setMaxListeners(0);
    options.subscriber.on('message', (channel: string, message: string) => this.receive(channel, message));
    // ioredis subscribes again by itself after a reconnect.
    options.subscriber.subscribe(WAKE, CANCEL, EVENTS).catch((err: unknown) => options.onError?.(err));
  }

  publishWake(to: WakeScope = 'all'): void {
    if (to === 'all') this.local.emit('wake');
    this.publish(WAKE, this.origin);
  }

  onWake(handler: () => void): Unsubscribe {
    return this.on('wake', handler);
  }

  publishCancel(buildId: number): void {
    this.local.emit('cancel', buildId);
    this.publish(CANCEL, String(buildId));
  }

  onCancel(handler: (buildId: number) => void): Unsubscribe {
    return this.on('cancel', handler);
  }

  publishEvent(event: BuildEvent): void {
    this.local.emit('event', event);
    this.publish(EVENTS, `${this.origin}|${JSON.stringify(event)}`);
  }

  onEvent(handler: (event: BuildEvent) => void): Unsubscribe {
    return this.on('event', handler);
  }

  async close(): Promise<void> {
    this.local.removeAllListeners();
  }

  private publish(channel: string, message: string): void {
    this.options.commands.publish(channel, message).catch((err: unknown) => this.options.onError?.(err));
  }

  private receive(channel: string, message: string): void {
    if (channel === WAKE) {
      if (message !== this.origin) this.local.emit('wake');
    } else if (channel === CANCEL) {
      // Drone's payload is the decimal build id; anything else is ignored, as Drone does.
      const buildId = Number(message);
      if (Number.isInteger(buildId) && buildId > 0) this.local.emit('cancel', buildId);
    } else if (channel === EVENTS) {
      const separator = message.indexOf('|');
      if (separator < 0 || message.slice(0, separator) === this.origin) return;
      try {
        this.local.emit('event', JSON.parse(message.slice(separator + 1)) as BuildEvent);
      } catch (err) {
        this.options.onError?.(err);
      }
    }
  }

  private on<A extends unknown[]>(name: string, handler: (...args: A) => void): Unsubscribe {
    const listener = (...args: unknown[]): void => {
      try {
        handler(...(args as A));
      } catch {
        /* a subscriber's failure must not break the others */
      }
    };
    this.local.on(name, listener);
    return () => this.local.off(name, listener);
  }
}
