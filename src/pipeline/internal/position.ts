// Positions and errors that point into the user's file. Every message the pipeline module reports about a
// configuration carries a 1-based line and column when one is known.

export interface Position {
  line: number;
  column: number;
}

export interface ConfigError {
  message: string;
  /** Where in the file the problem is (absent when it concerns the whole file). */
  position?: Position;
}

export function configError(message: string, position?: Position): ConfigError {
  return position ? { message, position } : { message };
}

/** "line 3, column 5: message" or just the message. */
export function formatConfigError(error: ConfigError): string {
  if (!error.position) return error.message;
  return `line ${error.position.line}, column ${error.position.column}: ${error.message}`;
}
