// Reads a YAML document the way Go's yaml.v2 decodes it into Drone's structs, with positions.
//
// Documents are parsed by the `yaml` library (failsafe schema, so every scalar keeps its text) and then
// decoded field by field on demand: a field a struct does not ask for is ignored, like Go's unknown keys;
// a type mismatch (a scalar where a list is expected, `privileged: maybe`) is recorded as an error with its
// line and column, like Go's "cannot unmarshal" errors; `<<` merge keys apply in Go's order (a merged value
// overrides keys written before it, maps merge into maps).

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { configError, type ConfigError, type Position } from '../internal/position.js';
import { isInt64, resolveScalar, shortTag, TagMismatchError, type ResolvedScalar } from './scalar.js';

export type YNode = YamlNode | null | undefined;

/** A generic decoded value (Go's `interface{}`): maps keep their order, ints stay exact. */
export type GenericValue =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'list'; items: GenericValue[] }
  | { kind: 'map'; entries: Array<[string, GenericValue]> };

export interface ParsedYaml {
  decoder: Decoder;
  root: YNode;
}

/**
 * A parsed document that several readers can decode, each with its own error list (parsing is the slow
 * part; decoding is cheap).
 */
export class YamlText {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly firstLine: number,
    private readonly length: number,
    private readonly syntaxErrors: ConfigError[],
  ) {}

  open(): ParsedYaml {
    const decoder = new Decoder(this.doc, this.lines, this.firstLine, this.length);
    decoder.errors.push(...this.syntaxErrors);
    return { decoder, root: this.syntaxErrors.length > 0 ? null : (this.doc.contents as YNode) };
  }
}

/** Parses one document's text; `firstLine` is the 1-based line of its first line in the whole file. */
export function parseYamlText(text: string, firstLine: number): YamlText {
  const lines = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, {
      version: '1.1',
      schema: 'failsafe',
      uniqueKeys: false,
      prettyErrors: false,
      lineCounter: lines,
    });
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    // Nesting deep enough to exhaust the stack; Go's decoder would fail the same way.
    return new YamlText(parseDocument(''), new LineCounter(), firstLine, 0, [
      configError('the document is nested too deeply', { line: firstLine, column: 1 }),
    ]);
  }
  const position = (offset: number): Position => {
    const pos = lines.linePos(offset);
    return { line: pos.line + firstLine - 1, column: pos.col };
  };
  const errors = doc.errors.map((err) =>
    configError(/call stack/i.test(err.message) ? 'the document is nested too deeply' : `invalid YAML: ${err.message}`, position(err.pos[0])),
  );
  return new YamlText(doc, lines, firstLine, text.length, errors);
}

export function parseYamlDocument(text: string, firstLine: number): ParsedYaml {
  return parseYamlText(text, firstLine).open();
}

class BudgetExceeded extends Error {}

export class Decoder {
  readonly errors: ConfigError[] = [];
  private budget: number;
  private readonly resolving = new Set<YamlNode>();
  // The yaml library finds an alias's anchor by walking the document; remember what it found.
  private readonly aliasTargets = new Map<YamlNode, YNode>();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly firstLine: number,
    sourceLength: number,
  ) {
    // Aliases can make a small file expand enormously ("billion laughs"); Go's decoder would spin.
    this.budget = 200_000 + sourceLength * 20;
  }

  positionAt(offset: number): Position {
    const pos = this.lines.linePos(offset);
    return { line: pos.line + this.firstLine - 1, column: pos.col };
  }

  position(node: YNode): Position | undefined {
    if (!node || !node.range) return undefined;
    return this.positionAt(node.range[0]);
  }

  error(node: YNode, path: string, message: string, fallback?: Position): void {
    this.errors.push(configError(path ? `${path}: ${message}` : message, this.position(node) ?? fallback));
  }

  /** Follows aliases; guards against alias cycles and expansion bombs. */
  resolve(node: YNode): YNode {
    if (--this.budget < 0) throw new BudgetExceeded();
    if (!node || !isAlias(node)) return node;
    if (this.resolving.has(node)) {
      this.error(node, '', `anchor '${node.source}' value contains itself`);
      return null;
    }
    this.resolving.add(node);
    try {
      let target = this.aliasTargets.get(node);
      if (target === undefined && !this.aliasTargets.has(node)) {
        target = node.resolve(this.doc) as YNode;
        this.aliasTargets.set(node, target);
      }
      if (!target) {
        this.error(node, '', `unknown anchor '${node.source}' referenced`);
        return null;
      }
      return this.resolve(target);
    } finally {
      this.resolving.delete(node);
    }
  }

  /** Runs a decoding function, turning an alias explosion into one error. */
  guard<T>(fallback: T, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof BudgetExceeded) {
        this.errors.push(configError('the document expands YAML aliases too much'));
        return fallback;
      }
      if (err instanceof RangeError) {
        this.errors.push(configError('the document is nested too deeply'));
        return fallback;
      }
      throw err;
    }
  }

  isNull(node: YNode): boolean {
    const n = this.resolve(node);
    if (!n) return true;
    if (!isScalar(n)) return false;
    return this.scalar(n, '').tag === '!!null';
  }

  /** Resolves a scalar like go-yaml; a bad explicit tag is recorded and read as a string. */
  scalar(node: Scalar, path: string): ResolvedScalar {
    const text = scalarText(node);
    let tag = node.tag ? shortTag(node.tag) : '';
    if (!node.tag && node.type !== Scalar.PLAIN) tag = '!!str';
    try {
      return resolveScalar(tag, text);
    } catch (err) {
      if (err instanceof TagMismatchError) {
        this.error(node, path, err.message);
        return { tag: '!!str', value: text };
      }
      throw err;
    }
  }

  string(node: YNode, path: string): string {
    const n = this.resolve(node);
    if (!n) return '';
    if (isScalar(n)) {
      const s = this.scalar(n, path);
      if (s.tag === '!!null') return '';
      if (s.tag === '!!binary') return String(s.value);
      return scalarText(n);
    }
    this.mismatch(n, path, 'a string');
    return '';
  }

  bool(node: YNode, path: string): boolean {
    const n = this.resolve(node);
    if (!n) return false;
    if (isScalar(n)) {
      const s = this.scalar(n, path);
      if (s.tag === '!!null') return false;
      if (s.tag === '!!bool') return s.value === true;
    }
    this.mismatch(n, path, 'a boolean (true or false)');
    return false;
  }

  int(node: YNode, path: string): number {
    const n = this.resolve(node);
    if (!n) return 0;
    if (isScalar(n)) {
      const s = this.scalar(n, path);
      if (s.tag === '!!null') return 0;
      if (s.tag === '!!int' && typeof s.value === 'bigint' && isInt64(s.value)) return Number(s.value);
      if (s.tag === '!!float' && typeof s.value === 'number' && Math.abs(s.value) < 2 ** 63) return Math.trunc(s.value);
    }
    this.mismatch(n, path, 'an integer');
    return 0;
  }

  /** The scalar's resolved value for custom decoders (BytesSize, Port): int, string or undefined. */
  intOrString(node: YNode, path: string): { int?: number; text?: string; isNull: boolean } {
    const n = this.resolve(node);
    if (!n) return { isNull: true };
    if (!isScalar(n)) return { isNull: false };
    const s = this.scalar(n, path);
    if (s.tag === '!!null') return { isNull: true };
    if (s.tag === '!!int' && typeof s.value === 'bigint' && isInt64(s.value)) return { int: Number(s.value), isNull: false };
    if (s.tag === '!!float' && typeof s.value === 'number') return { int: Math.trunc(s.value), isNull: false };
    return { text: scalarText(n), isNull: false };
  }

  strings(node: YNode, path: string): string[] {
    const n = this.resolve(node);
    if (!n || (isScalar(n) && this.scalar(n, path).tag === '!!null')) return [];
    if (!isSeq(n)) {
      this.mismatch(n, path, 'a list of strings');
      return [];
    }
    const out: string[] = [];
    n.items.forEach((item, i) => {
      const resolved = this.resolve(item as YNode);
      if (resolved && !isScalar(resolved)) {
        this.mismatch(resolved, `${path}[${i}]`, 'a string');
        return;
      }
      out.push(this.string(resolved, `${path}[${i}]`));
    });
    return out;
  }

  /** A list whose items are decoded by `item` (Go slices of structs). Null items are passed as null. */
  list<T>(node: YNode, path: string, what: string, item: (node: YNode, path: string) => T): T[] {
    const n = this.resolve(node);
    if (!n || (isScalar(n) && this.scalar(n, path).tag === '!!null')) return [];
    if (!isSeq(n)) {
      this.mismatch(n, path, what);
      return [];
    }
    return n.items.map((child, i) => item(this.resolve(child as YNode), `${path}[${i}]`));
  }

  /** Entries of a mapping with merge keys applied, or undefined (error recorded) when it is not a map. */
  entries(node: YNode, path: string, what: string): MapEntry[] | undefined {
    const n = this.resolve(node);
    if (!n) return [];
    if (isScalar(n) && this.scalar(n, path).tag === '!!null') return [];
    if (!isMap(n)) {
      this.mismatch(n, path, what);
      return undefined;
    }
    const out: MapEntry[] = [];
    this.flatten(n, path, out);
    return out;
  }

  private flatten(map: YamlNode, path: string, out: MapEntry[]): void {
    if (!isMap(map)) return;
    for (const pair of map.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YNode;
      const valueNode = pair.value as YNode;
      if (isMergeKey(keyNode)) {
        this.mergeInto(valueNode, path, out);
        continue;
      }
      const key = this.resolve(keyNode);
      if (key && !isScalar(key)) {
        this.error(key, path, 'a map key must be a string, not a list or map');
        continue;
      }
      out.push({ key: this.string(key, path), keyNode: key, value: valueNode, position: this.position(key) });
    }
  }

  private mergeInto(valueNode: YNode, path: string, out: MapEntry[]): void {
    const value = this.resolve(valueNode);
    if (value && isMap(value)) {
      this.flatten(value, path, out);
      return;
    }
    if (value && isSeq(value)) {
      // Go applies the list backwards so that earlier maps take precedence.
      for (let i = value.items.length - 1; i >= 0; i--) {
        const item = this.resolve(value.items[i] as YNode);
        if (!item || !isMap(item)) {
          this.error(item ?? value, path, 'map merge requires map or sequence of maps as the value');
          continue;
        }
        this.flatten(item, path, out);
      }
      return;
    }
    this.error(value ?? valueNode, path, 'map merge requires map or sequence of maps as the value');
  }

  /** Go's `interface{}` decoding of any node. */
  generic(node: YNode, path: string): GenericValue {
    const n = this.resolve(node);
    if (!n) return { kind: 'null' };
    if (isScalar(n)) {
      const s = this.scalar(n, path);
      switch (s.tag) {
        case '!!null':
          return { kind: 'null' };
        case '!!bool':
          return { kind: 'bool', value: s.value === true };
        case '!!int':
          return { kind: 'int', value: s.value as bigint };
        case '!!float':
          return { kind: 'float', value: s.value as number };
        default:
          return { kind: 'string', value: String(s.value) };
      }
    }
    if (isSeq(n)) return { kind: 'list', items: n.items.map((item, i) => this.generic(item as YNode, `${path}[${i}]`)) };
    const entries = this.entries(n, path, 'a map') ?? [];
    const map = new Map<string, GenericValue>();
    for (const entry of entries) map.set(genericKey(this, entry), this.generic(entry.value, `${path}.${entry.key}`));
    return { kind: 'map', entries: [...map.entries()] };
  }

  describe(node: YNode, path: string): string {
    const n = this.resolve(node);
    if (!n) return 'nothing';
    if (isMap(n)) return 'a map';
    if (isSeq(n)) return 'a list';
    if (isScalar(n)) {
      const s = this.scalar(n, path);
      const text = scalarText(n);
      const shown = text.length > 40 ? text.slice(0, 37) + '...' : text;
      switch (s.tag) {
        case '!!null':
          return 'null';
        case '!!bool':
          return `the boolean ${shown}`;
        case '!!int':
        case '!!float':
          return `the number ${shown}`;
        default:
          return `the string ${JSON.stringify(shown)}`;
      }
    }
    return 'an unsupported value';
  }

  mismatch(node: YNode, path: string, expected: string): void {
    this.error(node, path, `expected ${expected}, found ${this.describe(node, path)}`);
  }
}

export interface MapEntry {
  key: string;
  keyNode: YNode;
  value: YNode;
  position: Position | undefined;
}

function isMergeKey(node: YNode): boolean {
  if (!node || !isScalar(node)) return false;
  if (scalarText(node) !== '<<') return false;
  if (!node.tag) return node.type === Scalar.PLAIN;
  return shortTag(node.tag) === '!!merge';
}

function scalarText(node: Scalar): string {
  const v = node.value;
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
}

// Map keys of generic maps become strings the way the settings encoder prints them.
function genericKey(decoder: Decoder, entry: MapEntry): string {
  const key = entry.keyNode;
  if (!key || !isScalar(key)) return entry.key;
  const s = decoder.scalar(key, '');
  if (s.tag === '!!null') return 'null';
  return entry.key;
}
