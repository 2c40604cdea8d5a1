import { destination, pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };
export type LogDestination = DestinationStream;

/**
 * Logs appended to a file (the demo's, so that its console stays readable); written
 * asynchronously, flushed on `end()`.
 */
export function logFile(path: string): DestinationStream & { end(): void } {
  return destination({ dest: path, sync: false, mkdir: true });
}

/**
 * Paths pino blanks out wherever a secret could travel with a logged object. The code also never
 * passes secrets to the logger on purpose; this is the net under that rule.
 */
export const REDACTED_PATHS = [
  'password',
  'sentinelPassword',
  'token',
  'secret',
  'authorization',
  'adminToken',
  'clientSecret',
  'access_token',
  'refresh_token',
  'client_secret',
  '*.password',
  '*.sentinelPassword',
  '*.token',
  '*.secret',
  '*.authorization',
  '*.adminToken',
  '*.clientSecret',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

export interface LoggerOptions {
  level: string;
  /** The role or tool, bound to every line as `role`. */
  role: string;
  destination?: DestinationStream;
}

/** pino JSON logs; callers bind `platform`, `queue`, `op` with `logger.child(...)`. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { role: options.role },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

export { redactUrl } from './redact-url.ts';
