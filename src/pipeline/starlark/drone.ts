// Drone's Starlark contract (plugin/converter/starlark/starlark.go): run the file with nothing predeclared and
// no `load`, call main(ctx), and turn its result into configuration text: a dict is one document, a list is one
// `---` document per element. Scripts are bounded by an execution-step limit and the output by a size limit.

import { contextValue, type DroneContext } from './context.js';
import { EvalError, Thread } from './eval.js';
import { execFileOn } from './interpreter.js';
import { StarlarkSyntaxError } from './lexer.js';
import { writeJson } from './output.js';
import { decodeUtf8 } from './utf8.js';
import { Builtin, Dict, List, StarFunction, StarlarkError, StarSet, type Value } from './values.js';

/** Drone's defaults (DRONE_STARLARK_STEP_LIMIT / DRONE_STARLARK_SIZE_LIMIT, 0 meaning the default). */
export const DEFAULT_STEP_LIMIT = 50_000;
export const DEFAULT_SIZE_LIMIT = 1_000_000;
/** Hangar's own bound on a script's running time (see ThreadOptions.timeLimitMs); real scripts take milliseconds. */
export const DEFAULT_TIME_LIMIT_MS = 5_000;

export interface DroneScriptOptions {
  stepLimit?: number;
  sizeLimit?: number;
  timeLimitMs?: number;
  /** Where print() output goes (Drone logs it at trace level). */
  print?: (msg: string) => void;
}

export type DroneScriptResult =
  | {
      ok: true;
      /** The configuration text, as Drone produces it. */
      text: string;
      /** main's result, one value per document. */
      documents: Value[];
      /** Execution steps main used (of the step limit). */
      steps: number;
    }
  | { ok: false; error: string };

export function runDroneScript(source: string, filename: string, ctx: DroneContext, options: DroneScriptOptions = {}): DroneScriptResult {
  const stepLimit = options.stepLimit || DEFAULT_STEP_LIMIT;
  const sizeLimit = options.sizeLimit || DEFAULT_SIZE_LIMIT;
  // Drone sets the step limit only before calling main; we bound the top level too, with the same budget,
  // so a top-level call cannot loop forever.
  const thread = new Thread({ maxSteps: stepLimit, timeLimitMs: options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS, print: options.print });
  try {
    const { globals } = execFileOn(thread, filename, source, {});
    const main = globals.get('main');
    if (main === undefined) return { ok: false, error: 'starlark: missing main function' };
    if (!(main instanceof StarFunction || main instanceof Builtin)) return { ok: false, error: 'starlark: main must be a function' };
    thread.resetSteps();
    const result = thread.callTop(main, [contextValue(ctx)]);
    const documents = documentsOf(result);
    if (!documents) return { ok: false, error: 'starlark: main returns an invalid type' };
    const text = result instanceof List ? documents.map((d) => '---\n' + writeJson(d).join('') + '\n').join('') : writeJson(result).join('');
    if (Buffer.byteLength(text, 'latin1') > sizeLimit) return { ok: false, error: 'starlark: maximum file size exceeded' };
    return { ok: true, text: decodeUtf8(text), documents, steps: thread.steps };
  } catch (err) {
    return { ok: false, error: describeError(err) };
  }
}

function documentsOf(result: Value): Value[] | undefined {
  if (result instanceof List) return result.elems;
  if (result instanceof Dict && !(result instanceof StarSet)) return [result];
  return undefined;
}

function describeError(err: unknown): string {
  if (err instanceof EvalError || err instanceof StarlarkSyntaxError || err instanceof StarlarkError) return decodeUtf8(err.message);
  // A file nested too deeply for the parser's stack.
  if (err instanceof RangeError) return `starlark: ${err.message}`;
  throw err;
}
