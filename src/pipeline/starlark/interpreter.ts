// Running a Starlark file: parse, resolve, execute its top level, then freeze its globals.

// builtins.ts also registers the universe with the evaluator when it loads.
import { isUniversal } from './builtins.js';
import { Thread, type ThreadOptions } from './eval.js';
import { parseFile } from './parser.js';
import { resolveFile, type ResolveOptions } from './resolver.js';
import { encodeUtf8 } from './utf8.js';
import { freezeValue, type ModuleState, type Value } from './values.js';

export interface ExecOptions extends ResolveOptions, ThreadOptions {
  /** Names visible to the file besides the universe (Drone predeclares none). */
  predeclared?: ReadonlyMap<string, Value>;
  /** Resolves `load("module", "name")`; without it a load is an error, as in Drone. */
  load?: (module: string) => ReadonlyMap<string, Value>;
}

export interface ExecResult {
  globals: Map<string, Value>;
  thread: Thread;
}

/** Executes a file given as JS text (converted to UTF-8 bytes first). */
export function execFile(filename: string, source: string, options: ExecOptions = {}): ExecResult {
  const thread = new Thread(options);
  return execFileOn(thread, filename, source, options);
}

export function execFileOn(thread: Thread, filename: string, source: string, options: ExecOptions): ExecResult {
  const predeclared = options.predeclared ?? new Map<string, Value>();
  const file = parseFile(encodeUtf8(source), filename);
  const { globalNames } = resolveFile(file, (name) => predeclared.has(name), isUniversal, options);
  const module: ModuleState = { filename, globals: new Array(globalNames.length), globalNames, predeclared, load: options.load };
  thread.execModule(file.stmts, file.numLocals, module);
  const globals = new Map<string, Value>();
  globalNames.forEach((name, i) => {
    const v = module.globals[i];
    if (v !== undefined) {
      freezeValue(v);
      globals.set(name, v);
    }
  });
  return { globals, thread };
}
