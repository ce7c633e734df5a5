// The configuration size limit: a file above it is refused before any parsing, so a huge or hostile file
// costs nothing. Drone has no such limit; 2 MiB is far above any real pipeline.

export const DEFAULT_MAX_CONFIG_SIZE = 2 * 1024 * 1024;

/** An error message naming the limit when `data` is larger than `maxSize` bytes, else undefined. */
export function checkSize(data: string, maxSize: number): string | undefined {
  // Cheap upper bound first: UTF-8 takes at most 3 bytes per UTF-16 code unit.
  if (data.length * 3 <= maxSize) return undefined;
  const size = Buffer.byteLength(data, 'utf8');
  if (size <= maxSize) return undefined;
  return `configuration file is ${size} bytes, larger than the limit of ${maxSize} bytes (${humanSize(maxSize)})`;
}

function humanSize(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
