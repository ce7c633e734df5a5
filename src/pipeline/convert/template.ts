// `kind: template` configurations (Drone's template converter): a `.yml` file that starts with
// `kind: template` names a stored template (`load`) and gives it `data`. Jsonnet templates are evaluated
// with each data value as an `input.<key>` external variable (printed the way Go's fmt.Sprint prints it),
// besides the usual build.* / repo.* variables. Starlark templates run with the data as ctx.input.

import { goFormatFloat } from '../internal/go-format.js';
import { compareBytewise } from '../internal/go-json.js';
import type { GenericValue } from '../yaml/decoder.js';
import { parseYamlDocument } from '../yaml/decoder.js';
import { Fields } from '../yaml/fields.js';
import { convertJsonnet, type ConversionResult } from './jsonnet.js';
import { convertStarlark, STARLARK_PATH, type StarlarkInput } from './starlark.js';

/** Finds a stored template by name in the repository's namespace. */
export type TemplateLookup = (name: string) => Promise<{ name: string; data: string } | undefined>;

const TEMPLATE_FILE = /^kind:\s+template+\n/;

export function isTemplateConfig(path: string, data: string): boolean {
  return path.endsWith('.yml') && TEMPLATE_FILE.test(data);
}

export async function convertTemplate(
  data: string,
  lookup: TemplateLookup,
  vars: Record<string, string>,
  starlark?: Omit<StarlarkInput, 'enabled'>,
): Promise<ConversionResult> {
  const { decoder, root } = parseYamlDocument(data, 1);
  const fields = decoder.errors.length === 0 ? Fields.of(decoder, root, '', 'a map') : undefined;
  const load = fields?.string('load') ?? '';
  const none: GenericValue = { kind: 'null' };
  const input = fields ? decoder.guard(none, () => decoder.generic(fields.node('data'), 'data')) : none;
  if (!fields || decoder.errors.length > 0) {
    return { ok: false, error: 'template converter: there is a problem with the yaml file provided' };
  }
  const template = await lookup(load);
  if (!template) return { ok: false, error: `template converter: template name given not found: ${load}` };
  if (STARLARK_PATH.test(load)) {
    if (!starlark) return { ok: false, error: `template converter: ${load}: no build context for the Starlark template` };
    const templateInput = input.kind === 'map' ? Object.fromEntries(input.entries.map(([k, v]) => [k, plainValue(v)])) : {};
    return convertStarlark(template.data, template.name, { ...starlark, context: { ...starlark.context, input: templateInput } });
  }
  if (!load.endsWith('.jsonnet')) {
    return { ok: false, error: `template converter: ${load}: only .jsonnet templates are supported` };
  }
  const inputVars: Record<string, string> = {};
  if (input.kind === 'map') for (const [key, value] of input.entries) inputVars[`input.${key}`] = goSprint(value);
  return convertJsonnet(template.data, template.name, { ...vars, ...inputVars });
}

/** A decoded YAML value as plain JSON-like data (template input for Starlark). */
function plainValue(value: GenericValue): unknown {
  switch (value.kind) {
    case 'null':
      return null;
    case 'int':
      return Number.isSafeInteger(Number(value.value)) ? Number(value.value) : value.value;
    case 'list':
      return value.items.map(plainValue);
    case 'map':
      return Object.fromEntries(value.entries.map(([k, v]) => [k, plainValue(v)]));
    default:
      return value.value;
  }
}

/** Go's fmt.Sprint of a decoded YAML value: lists as `[a b]`, maps as `map[k:v]` with sorted keys. */
export function goSprint(value: GenericValue): string {
  switch (value.kind) {
    case 'null':
      return '<nil>';
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'int':
      return value.value.toString();
    case 'float':
      return goFormatFloat(value.value);
    case 'string':
      return value.value;
    case 'list':
      return '[' + value.items.map(goSprint).join(' ') + ']';
    case 'map': {
      const entries = [...value.entries].sort((a, b) => compareBytewise(a[0], b[0]));
      return 'map[' + entries.map(([k, v]) => `${k}:${goSprint(v)}`).join(' ') + ']';
    }
  }
}
