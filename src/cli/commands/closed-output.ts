// `hangar build ls o/n | head -1`: when the reader goes away, stop quietly instead of dying with an
// unhandled EPIPE and a stack trace. Exit 0 as the output was consumed as far as wanted (and `set -o pipefail`
// scripts keep working).

export function exitQuietlyWhenOutputCloses(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  process.stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}
