// Drone splits a configuration file into documents by text, not by YAML rules (runner-go
// manifest/parse.go, drone-yaml parse.go), and we must split the same way:
//
//   - the file is read line by line (a trailing \r is dropped);
//   - a line starting with `---` starts a new document and is itself dropped (a leading `---` does not
//     create an empty document before it, but a trailing one creates an empty document after it);
//   - a line starting with `...` ends the file;
//   - Go's line scanner gives up on a line of 64 KiB or more, silently ending the file there.

export const MAX_LINE_BYTES = 64 * 1024;

export interface RawDocument {
  /** The document's lines, each followed by "\n", exactly as Drone hands them to the YAML decoder. */
  text: string;
  /** 1-based line number (in the whole file) of the document's first line. */
  firstLine: number;
  /** 1-based line of the `---` separator that started it, if any. */
  separatorLine?: number;
}

export interface SplitResult {
  documents: RawDocument[];
  /** Set when a line too long for Go's scanner cut the file short (Drone ignores the rest). */
  truncatedAtLine?: number;
}

export function splitDocuments(source: string): SplitResult {
  const documents: RawDocument[] = [];
  let current: { lines: string[]; firstLine: number; separatorLine?: number } | undefined;
  let truncatedAtLine: number | undefined;
  const lines = scanLines(source);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lineNumber = i + 1;
    if (Buffer.byteLength(line) >= MAX_LINE_BYTES) {
      truncatedAtLine = lineNumber;
      break;
    }
    const separator = line.startsWith('---');
    if (separator || !current) {
      if (current) documents.push(finish(current));
      current = { lines: [], firstLine: separator ? lineNumber + 1 : lineNumber, separatorLine: separator ? lineNumber : undefined };
    }
    if (separator) continue;
    if (line.startsWith('...')) break;
    current.lines.push(line);
  }
  if (current) documents.push(finish(current));
  return truncatedAtLine === undefined ? { documents } : { documents, truncatedAtLine };
}

function finish(doc: { lines: string[]; firstLine: number; separatorLine?: number }): RawDocument {
  const text = doc.lines.map((l) => l + '\n').join('');
  return doc.separatorLine === undefined
    ? { text, firstLine: doc.firstLine }
    : { text, firstLine: doc.firstLine, separatorLine: doc.separatorLine };
}

/** Go's bufio.ScanLines: split on \n, drop one trailing \r per line, no empty token after a final \n. */
function scanLines(source: string): string[] {
  if (source === '') return [];
  const lines = source.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
