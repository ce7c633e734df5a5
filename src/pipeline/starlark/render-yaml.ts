// main(ctx)'s documents as readable YAML (for `hangar starlark`), keys in the order the script built them.

import YAML from 'yaml';
import { decodeUtf8 } from './utf8.js';
import { Dict, Float, List, StarlarkError, StarSet, Tuple, typeName, type Value } from './values.js';

export function renderYamlDocuments(documents: Value[]): string {
  return documents.map((doc) => '---\n' + YAML.stringify(plain(doc), { lineWidth: 0 })).join('');
}

function plain(v: Value): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'string') return decodeUtf8(v);
  if (v instanceof Float) return v.v;
  if (v instanceof List || v instanceof Tuple) return v.elems.map(plain);
  if (v instanceof Dict && !(v instanceof StarSet)) return new Map(v.items().map(([k, x]) => [plain(k), plain(x)]));
  throw new StarlarkError(`value of type ${typeName(v)} can't be converted to YAML`);
}
