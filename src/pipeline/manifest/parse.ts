// Parsing a whole configuration file into documents, for one reader (Drone's server or one of its
// runners). The file is split Drone's way (yaml/split.ts), each document decoded as YAML, and each kind
// decoded into its model. Errors carry line and column; Drone reports only the first one, we keep all.

import { configError, type ConfigError, type Position } from '../internal/position.js';
import { parseYamlText, type Decoder, type YamlText, type YNode } from '../yaml/decoder.js';
import { Fields } from '../yaml/fields.js';
import { splitDocuments, type RawDocument, type SplitResult } from '../yaml/split.js';
import { decodeHeader, decodePipeline, decodeSecret, decodeSignature, decodeTemplate, type Reader } from './decode.js';
import type { Header, Pipeline, SecretDocument, SignatureDocument, TemplateDocument } from './types.js';

export type { Reader };

export interface ManifestDocument {
  index: number;
  raw: RawDocument;
  header: Header;
  position: Position;
}

export interface Manifest {
  documents: ManifestDocument[];
  /** Pipelines this reader handles (all for the server; its own type for a runner), in file order. */
  pipelines: Pipeline[];
  secrets: SecretDocument[];
  signatures: SignatureDocument[];
  templates: TemplateDocument[];
  /** Set when a line of 64 KiB or more ended the file early (Drone silently ignores the rest). */
  truncatedAtLine?: number;
}

export type ManifestResult = { ok: true; manifest: Manifest } | { ok: false; errors: ConfigError[]; manifest: Manifest };

/** Kinds drone-yaml decodes into their own types; every other kind is decoded as a pipeline. */
const SERVER_NON_PIPELINE_KINDS = new Set(['cron', 'secret', 'signature', 'registry']);

/** A file split and parsed once, to be decoded by several readers (see `hangar lint`). */
export interface PreparedSource {
  split: SplitResult;
  texts: YamlText[];
}

export function prepareSource(source: string): PreparedSource {
  const split = splitDocuments(source);
  return { split, texts: split.documents.map((raw) => parseYamlText(raw.text, raw.firstLine)) };
}

export function parseManifest(source: string | PreparedSource, reader: Reader): ManifestResult {
  const prepared = typeof source === 'string' ? prepareSource(source) : source;
  const { split } = prepared;
  const manifest: Manifest = { documents: [], pipelines: [], secrets: [], signatures: [], templates: [] };
  if (split.truncatedAtLine !== undefined) manifest.truncatedAtLine = split.truncatedAtLine;
  const errors: ConfigError[] = [];
  split.documents.forEach((raw, index) => {
    const { decoder, root } = prepared.texts[index].open();
    const position: Position = { line: raw.separatorLine ?? raw.firstLine, column: 1 };
    decoder.guard(undefined, () => decodeDocument(manifest, decoder, root, raw, index, position, reader));
    errors.push(...inFileOrder(decoder.errors));
  });
  const unique = dedupe(errors);
  return unique.length === 0 ? { ok: true, manifest } : { ok: false, errors: unique, manifest };
}

function decodeDocument(
  manifest: Manifest,
  decoder: Decoder,
  root: YNode,
  raw: RawDocument,
  index: number,
  position: Position,
  reader: Reader,
): void {
  if (decoder.errors.length > 0) return; // YAML syntax errors: nothing to decode
  const what = 'a document (a map with a kind)';
  if (reader === 'server') {
    const kind = peekKind(decoder, root);
    const isPipeline = !SERVER_NON_PIPELINE_KINDS.has(kind);
    const fields = Fields.of(decoder, root, '', what);
    if (!fields) return;
    const header = decodeHeader(fields, isPipeline);
    manifest.documents.push({ index, raw, header, position });
    if (header.kind === '') {
      decoder.errors.push(configError('missing kind attribute (every document needs one, e.g. kind: pipeline)', position));
      return;
    }
    if (header.kind === 'secret') manifest.secrets.push(decodeSecret(fields, index));
    else if (header.kind === 'signature') manifest.signatures.push(decodeSignature(fields, index));
    else if (header.kind === 'template') manifest.templates.push(decodeTemplate(fields, index));
    if (isPipeline) manifest.pipelines.push(decodePipeline(fields, header, 'server', index));
    return;
  }
  const fields = Fields.of(decoder, root, '', what);
  if (!fields) return;
  const header = decodeHeader(fields);
  manifest.documents.push({ index, raw, header, position });
  if (header.kind === 'secret') manifest.secrets.push(decodeSecret(fields, index));
  else if (header.kind === 'signature') manifest.signatures.push(decodeSignature(fields, index));
  else if (header.kind === 'pipeline' && handlesType(reader, header.type)) {
    manifest.pipelines.push(decodePipeline(fields, header, reader, index));
  }
}

/** Which pipeline types a runner's driver claims. */
function handlesType(reader: Reader, type: string): boolean {
  if (reader === 'exec') return type === 'exec';
  return type === '' || type === 'docker';
}

function peekKind(decoder: Decoder, root: YNode): string {
  const entries = decoder.entries(root, '', 'a map') ?? [];
  let kind = '';
  for (const entry of entries) if (entry.key === 'kind') kind = decoder.string(entry.value, 'kind');
  return kind;
}

/** go-yaml reports type errors in document order, which is position order. */
function inFileOrder(errors: ConfigError[]): ConfigError[] {
  return errors
    .map((error, i) => ({ error, i }))
    .sort((a, b) => compare(a.error.position, b.error.position) || a.i - b.i)
    .map(({ error }) => error);
}

function compare(a: Position | undefined, b: Position | undefined): number {
  if (!a || !b) return 0;
  return a.line - b.line || a.column - b.column;
}

function dedupe(errors: ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  const out: ConfigError[] = [];
  for (const e of errors) {
    const key = `${e.position?.line}:${e.position?.column}:${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}
