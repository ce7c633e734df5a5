// The three Redis connections a server keeps (DESIGN §5): fail-fast commands (no offline queue, a short
// command timeout: Redis is never on a request's critical path), a subscriber, and one blocking log tailer.

import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisSettings } from '../config/server.js';

export interface RedisConnections {
  commands: Redis;
  subscriber: Redis;
  tailer: Redis;
  close(): Promise<void>;
}

export function connectRedis(settings: RedisSettings, log: Logger): RedisConnections {
  const base: RedisOptions = {
    // Reconnect quickly and for ever; a command issued while disconnected fails at once.
    // A restarted Redis is back in use within half a second.
    retryStrategy: (times) => Math.min(50 * times, 500),
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
  };
  const open = (name: string, options: RedisOptions): Redis => {
    const client = connect(settings, { ...base, ...options, connectionName: `hangar-${name}` });
    let down = false;
    client.on('error', (err: Error) => {
      if (!down) log.warn({ err: err.message, connection: name }, 'redis unavailable; live signals fall back to the database sweep');
      down = true;
    });
    client.on('ready', () => {
      if (down) log.info({ connection: name }, 'redis available again');
      down = false;
    });
    return client;
  };
  const commands = open('commands', { enableOfflineQueue: false, commandTimeout: settings.commandTimeoutMs });
  // SUBSCRIBE is queued until connected and renewed after every reconnect.
  const subscriber = open('subscriber', { enableOfflineQueue: true, maxRetriesPerRequest: null });
  const tailer = open('tailer', { enableOfflineQueue: false });
  return {
    commands,
    subscriber,
    tailer,
    async close() {
      for (const client of [tailer, subscriber, commands]) client.disconnect();
    },
  };
}

function connect(settings: RedisSettings, options: RedisOptions): Redis {
  switch (settings.kind) {
    case 'url':
      return new Redis(settings.url, options);
    case 'address':
      return new Redis({ ...options, host: settings.host, port: settings.port, password: settings.password || undefined, db: settings.db });
    case 'sentinel':
      return new Redis({ ...options, sentinels: settings.sentinels, name: settings.master, password: settings.password || undefined, db: settings.db });
  }
}
