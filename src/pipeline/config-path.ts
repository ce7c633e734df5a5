// A repository's configuration path must stay inside the repository: one that starts at `/` or climbs out
// (`..`) could make an SCM's file API read another repository's file.

export function isInsideRepository(path: string): boolean {
  return !path.startsWith('/') && !path.split(/[\\/]/).includes('..');
}
