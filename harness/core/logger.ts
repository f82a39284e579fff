// One winston logger for the whole process, writing to stderr so stdout stays for data
// (`detect --format json` rows, `events` JSON lines). --verbose → debug, --quiet → warn.
import winston from 'winston';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const SECRET_KEYS = /pass(word)?|secret|token|api[-_]?key|private[-_]?key/i;

/** Replaces values of secret-looking keys so they never reach a log line. */
const redact = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (SECRET_KEYS.test(key)) (info as Record<string, unknown>)[key] = '[redacted]';
  }
  return info;
});

export const logger = winston.createLogger({
  level: 'info',
  format: winston.format.combine(
    redact(),
    winston.format.printf(({ level, message, ...meta }) => {
      const rest = Object.keys(meta).length ? ' ' + JSON.stringify(meta) : '';
      return `${level === 'info' ? '' : level + ': '}${String(message)}${rest}`;
    }),
  ),
  transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
});

export function setLogLevel(level: LogLevel): void {
  logger.level = level;
}
