// `x.name`: struct and module fields, and the methods of the built-in types (bound to their receiver).

import { suggest } from './arguments.js';
import { BYTES_METHODS, DICT_METHODS, LIST_METHODS, SET_METHODS, type MethodTable } from './methods-containers.js';
import { STRING_METHODS } from './methods-string.js';
import { Builtin, Bytes, Dict, HostObject, List, Module, StarlarkError, StarSet, Struct, typeName, type Value } from './values.js';

function methodsOf(x: Value): MethodTable | undefined {
  if (typeof x === 'string') return STRING_METHODS;
  if (x instanceof List) return LIST_METHODS;
  if (x instanceof StarSet) return SET_METHODS;
  if (x instanceof Dict) return DICT_METHODS;
  if (x instanceof Bytes) return BYTES_METHODS;
  return undefined;
}

/** Attribute hints read " (did you mean .name?)". */
function suggestField(name: string, candidates: Iterable<string>): string {
  return suggest(name, candidates).replace('(did you mean ', '(did you mean .');
}

export function getAttr(x: Value, name: string): Value {
  if (x instanceof Struct) {
    const v = x.fields.get(name);
    if (v !== undefined) return v;
    // Go prints a named constructor quoted: `"repo" struct has no .x attribute`.
    throw new StarlarkError(`${x.ctor === 'struct' ? '' : `"${x.ctor}" `}struct has no .${name} attribute${suggestField(name, x.fields.keys())}`);
  }
  if (x instanceof Module) {
    const v = x.members.get(name);
    if (v !== undefined) return v;
    throw new StarlarkError(`module has no .${name} field or method${suggestField(name, x.members.keys())}`);
  }
  if (x instanceof HostObject) {
    const v = x.attrs.get(name);
    if (v !== undefined) return v;
    throw new StarlarkError(`${x.typeName} has no .${name} field or method${suggestField(name, x.attrs.keys())}`);
  }
  const methods = methodsOf(x);
  const method = methods?.get(name);
  if (method) return new Builtin(name, (call) => method(x, call), x);
  throw new StarlarkError(`${typeName(x)} has no .${name} field or method${methods ? suggestField(name, methods.keys()) : ''}`);
}

export function hasAttr(x: Value, name: string): boolean {
  if (x instanceof Struct) return x.fields.has(name);
  if (x instanceof Module) return x.members.has(name);
  if (x instanceof HostObject) return x.attrs.has(name);
  return methodsOf(x)?.has(name) ?? false;
}

export function attrNames(x: Value): string[] {
  if (x instanceof Struct) return [...x.fields.keys()].sort();
  if (x instanceof Module) return [...x.members.keys()].sort();
  if (x instanceof HostObject) return [...x.attrs.keys()].sort();
  return [...(methodsOf(x)?.keys() ?? [])].sort();
}

export function setAttr(x: Value, name: string, v: Value): void {
  if (x instanceof HostObject) {
    if (x.frozen) throw new StarlarkError(`cannot set field on a frozen ${x.typeName}`);
    if (x.refusesField?.(name)) throw new StarlarkError(`${x.typeName} has no .${name} field${suggestField(name, x.attrs.keys())}`);
    x.attrs.set(name, v);
    return;
  }
  if (x instanceof Struct) throw new StarlarkError(`cannot set field on a frozen struct`);
  throw new StarlarkError(`can't assign to .${name} field of ${typeName(x)}`);
}
