// starlarkstruct: `struct(**kwargs)` values with named, immutable fields (fields sorted by name, as in Go).

import { StarlarkError, Struct, Builtin, type Value } from './values.js';

export function makeStruct(ctor: string, fields: Iterable<[string, Value]>): Struct {
  const sorted = [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Struct(ctor, new Map(sorted));
}

/** The `struct` builtin (not predeclared by Drone; used by the language tests). */
export const STRUCT_BUILTIN = new Builtin('struct', (call) => {
  if (call.args.length > 0) throw new StarlarkError(`struct: unexpected positional arguments`);
  return makeStruct('struct', call.kwargs);
});
