// Plugin `settings` → PLUGIN_* values, as Drone's encoder writes them (drone-runner-docker
// internal/encoder): scalars as text (floats in Go's shortest form), lists of scalars joined with commas,
// anything else as JSON with sorted keys. Drone round-trips values through YAML and JSON to get there; the
// observable results are reproduced here directly.

import { goFormatFloat } from '../internal/go-format.js';
import { goJson, type GoValue } from '../internal/go-json.js';
import { isInt64 } from '../yaml/scalar.js';
import type { GenericValue } from '../yaml/decoder.js';

/** `PLUGIN_` + the upper-cased key (hyphens kept: build-args → PLUGIN_BUILD-ARGS). */
export function pluginVariableName(key: string): string {
  return 'PLUGIN_' + key.toUpperCase();
}

export function encodeSetting(value: GenericValue): string {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'int':
      return value.value.toString();
    case 'float':
      return goFormatFloat(value.value);
    case 'null':
      return '';
    case 'list':
      return encodeList(value.items);
    case 'map':
      return toJson(value);
  }
}

function encodeList(items: GenericValue[]): string {
  if (items.every((item) => item.kind !== 'list' && item.kind !== 'map')) return items.map(yamlScalarText).join(',');
  return toJson({ kind: 'list', items });
}

/** How a scalar reads back as a string after Go's YAML marshalling. */
function yamlScalarText(item: GenericValue): string {
  switch (item.kind) {
    case 'null':
      return '';
    case 'float': {
      const text = goFormatFloat(item.value);
      return text === '+Inf' ? '.inf' : text === '-Inf' ? '-.inf' : text === 'NaN' ? '.nan' : text;
    }
    default:
      return encodeSetting(item);
  }
}

class Unrepresentable extends Error {}

/** YAML → JSON as ghodss/yaml does it; a value JSON cannot hold (NaN, ±Inf) gives "" as in Drone. */
function toJson(value: GenericValue): string {
  try {
    return goJson(toGoValue(value));
  } catch (err) {
    if (err instanceof Unrepresentable) return '';
    throw err;
  }
}

function toGoValue(value: GenericValue): GoValue {
  switch (value.kind) {
    case 'null':
      return null;
    case 'bool':
      return value.value;
    case 'int':
      return isInt64(value.value) || value.value > 0n ? value.value : Number(value.value);
    case 'float':
      if (!Number.isFinite(value.value)) throw new Unrepresentable();
      return value.value;
    case 'string':
      return value.value;
    case 'list':
      return value.items.map(toGoValue);
    case 'map': {
      const out: { [key: string]: GoValue } = {};
      for (const [k, v] of value.entries) out[k] = toGoValue(v);
      return out;
    }
  }
}
