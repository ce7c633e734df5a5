// The server's logger: pino honouring DRONE_LOGS_DEBUG / _TRACE / _PRETTY / _TEXT, with secrets redacted.

import pino, { type Logger } from 'pino';

export interface LogSettings {
  debug: boolean;
  trace: boolean;
  pretty: boolean;
  text: boolean;
  color?: boolean;
}

/** Paths that may carry credentials in anything we log (request headers, config objects). */
const REDACT = [
  'req.headers.authorization',
  'req.headers["x-drone-token"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-drone-token"]',
  '*.secret',
  '*.password',
  '*.token',
  '*.data',
  // SCM tokens (core/scm.ts Token) and OAuth app secrets.
  '*.access',
  '*.refresh',
  '*.clientSecret',
  'res.headers["set-cookie"]',
];

export function createLogger(settings: LogSettings, name = 'hangar'): Logger {
  const level = settings.trace ? 'trace' : settings.debug ? 'debug' : 'info';
  const human = settings.pretty || settings.text;
  return pino({
    name,
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    transport: human
      ? { target: 'pino-pretty', options: { colorize: settings.color ?? false, translateTime: 'SYS:standard', ignore: 'pid,hostname' } }
      : undefined,
  });
}
