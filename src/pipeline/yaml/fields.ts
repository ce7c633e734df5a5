// Struct-style access to a YAML mapping: each typed getter decodes one named field like Go's decoder would
// decode it into a struct field (unknown keys are never looked at). When a key occurs more than once —
// usually through a `<<` merge — scalars and lists take the last value while maps and structs merge, which
// is what go-yaml does when it decodes into an existing field.

import type { Position } from '../internal/position.js';
import type { Decoder, MapEntry, YNode } from './decoder.js';

export class Fields {
  private readonly byKey = new Map<string, MapEntry[]>();

  private constructor(
    readonly decoder: Decoder,
    entries: MapEntry[],
    readonly path: string,
    readonly position: Position | undefined,
  ) {
    for (const entry of entries) {
      const list = this.byKey.get(entry.key);
      if (list) list.push(entry);
      else this.byKey.set(entry.key, [entry]);
    }
  }

  /** Fields of a mapping node; undefined (with an error recorded) when the node is not a map or null. */
  static of(decoder: Decoder, node: YNode, path: string, what: string): Fields | undefined {
    const entries = decoder.entries(node, path, what);
    if (!entries) return undefined;
    return new Fields(decoder, entries, path, decoder.position(decoder.resolve(node)));
  }

  /** Fields gathered from several mapping nodes, later ones overriding earlier ones. */
  static merged(decoder: Decoder, nodes: YNode[], path: string, what: string): Fields {
    const all: MapEntry[] = [];
    let position: Position | undefined;
    for (const node of nodes) {
      if (decoder.isNull(node)) {
        all.length = 0;
        continue;
      }
      const entries = decoder.entries(node, path, what);
      if (entries) all.push(...entries);
      position ??= decoder.position(decoder.resolve(node));
    }
    return new Fields(decoder, all, path, position);
  }

  child(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /** Where the key was written (its last occurrence), else where the mapping starts. */
  keyPosition(key: string): Position | undefined {
    const list = this.byKey.get(key);
    return list?.[list.length - 1].position ?? this.position;
  }

  /** The last value node written for the key. */
  node(key: string): YNode {
    const list = this.byKey.get(key);
    return list ? list[list.length - 1].value : undefined;
  }

  private last<T>(key: string, decode: (node: YNode, path: string) => T, zero: T): T {
    const list = this.byKey.get(key);
    if (!list) return zero;
    let value = zero;
    for (const entry of list) value = decode(entry.value, this.child(key));
    return value;
  }

  string(key: string): string {
    return this.last(key, (n, p) => this.decoder.string(n, p), '');
  }

  bool(key: string): boolean {
    return this.last(key, (n, p) => this.decoder.bool(n, p), false);
  }

  int(key: string): number {
    return this.last(key, (n, p) => this.decoder.int(n, p), 0);
  }

  strings(key: string): string[] {
    return this.last(key, (n, p) => this.decoder.strings(n, p), [] as string[]);
  }

  list<T>(key: string, what: string, item: (node: YNode, path: string) => T): T[] {
    return this.last(key, (n, p) => this.decoder.list(n, p, what, item), [] as T[]);
  }

  /** A map field whose values are decoded by `value` (undefined values are dropped, like nil pointers). */
  map<T>(key: string, what: string, value: (node: YNode, path: string) => T | undefined): Record<string, T> {
    const out: Record<string, T> = Object.create(null) as Record<string, T>;
    const list = this.byKey.get(key);
    if (!list) return out;
    for (const occurrence of list) {
      if (this.decoder.isNull(occurrence.value)) {
        for (const k of Object.keys(out)) delete out[k];
        continue;
      }
      const entries = this.decoder.entries(occurrence.value, this.child(key), what);
      for (const entry of entries ?? []) {
        const decoded = value(entry.value, `${this.child(key)}.${entry.key}`);
        if (decoded === undefined) delete out[entry.key];
        else out[entry.key] = decoded;
      }
    }
    return out;
  }

  stringMap(key: string): Record<string, string> {
    return this.map(key, 'a map of strings', (n, p) => this.decoder.string(n, p));
  }

  /** A nested struct: all occurrences merged. */
  struct(key: string, what: string): Fields {
    const list = this.byKey.get(key) ?? [];
    return Fields.merged(
      this.decoder,
      list.map((entry) => entry.value),
      this.child(key),
      what,
    );
  }
}
