/** Prefixed, timestamped logging for the stack's parts (the supervisor sends it to a log file). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  child(name: string): Logger;
}

export function createLogger(name: string): Logger {
  const line = (level: string, message: string) => `${new Date().toISOString()} ${level} [${name}] ${message}`;
  return {
    info: (message) => console.log(line('info', message)),
    warn: (message) => console.warn(line('warn', message)),
    error: (message, error) =>
      console.error(
        line(
          'error',
          error ? `${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` : message,
        ),
      ),
    child: (child) => createLogger(`${name}:${child}`),
  };
}
