// Shared pieces of the API client commands: the --server/--token options, and how results are printed —
// a table for lists, drone's own template for single items, `--format` (a Go template), or `--json`.

import { type Command, InvalidArgumentError } from 'commander';
import { lookupField, snakeCase } from './go-fields.js';
import { formatUnixTime, parseGoTemplate } from './go-template.js';

/** -s/--server and, unless the command has a --token of its own, -t/--token. */
export function withClient(command: Command, { token = true } = {}): Command {
  command.option('-s, --server <url>', 'server address (default: $DRONE_SERVER or http://localhost:8080)');
  return token ? command.option('-t, --token <token>', 'API token (default: $DRONE_TOKEN)') : command;
}

export interface PrintOptions {
  format?: string;
  json?: boolean;
}

/** Adds --format and --json; `fields` names the template fields the help mentions. */
export function withOutput(command: Command, fields: string): Command {
  return command
    .option('--format <template>', `Go template for each item, e.g. "{{ .${fields.split(',')[0].trim()} }}" (fields: ${fields})`, checkTemplate)
    .option('--json', "print the server's JSON");
}

/** A --format that does not parse is a usage error, found before any request is sent. */
function checkTemplate(value: string): string {
  try {
    parseGoTemplate(value);
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
  return value;
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/**
 * Go's zero values of the fields a server leaves out when empty (`omitempty`), so that templates and tables
 * print `false` where the drone CLI does, not nothing. --json prints the answer as it came.
 */
export type ZeroValues = Record<string, unknown>;

/** One item: JSON, the user's --format, or the default template (drone's). */
export function printItem(item: unknown, options: PrintOptions, defaultTemplate: string, zero: ZeroValues = {}): void {
  if (options.json) return printJson(item);
  writeLine(parseGoTemplate(options.format ?? defaultTemplate).render(withZeroValues(item, zero)));
}

function withZeroValues(item: unknown, zero: ZeroValues): unknown {
  return item && typeof item === 'object' && !Array.isArray(item) ? { ...zero, ...item } : item;
}

export interface Column {
  header: string;
  /** A Go field name or path (`Build.Number`). */
  field: string;
  /** Longer cells are cut with an ellipsis. */
  width?: number;
  /** Only the first characters (a commit SHA). */
  short?: number;
  /** Unix seconds shown as a UTC date and time. */
  time?: boolean;
}

/** Table columns: a field name alone is headed by itself in capitals (`LastLogin` → `LAST LOGIN`). */
export function columns(...specs: (string | Column)[]): Column[] {
  return specs.map((spec) => (typeof spec === 'string' ? { header: snakeCase(spec.split('.').at(-1) ?? spec).replace(/_/g, ' ').toUpperCase(), field: spec } : spec));
}

/** A list: JSON, one --format rendering per item, or a table with a header row. */
export function printList(items: unknown[], options: PrintOptions, columns: Column[], zero: ZeroValues = {}): void {
  if (options.json) return printJson(items);
  const shown = items.map((item) => withZeroValues(item, zero));
  if (options.format !== undefined) {
    const template = parseGoTemplate(options.format);
    for (const item of shown) writeLine(template.render(item));
    return;
  }
  if (shown.length === 0) return;
  const rows = [columns.map((c) => c.header), ...shown.map((item) => columns.map((c) => cell(item, c)))];
  const widths = columns.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) console.log(row.map((text, i) => (i === row.length - 1 ? text : text.padEnd(widths[i]))).join('  ').trimEnd());
}

function cell(item: unknown, column: Column): string {
  const value = column.field.split('.').reduce<unknown>((v, name) => lookupField(v, name), item);
  const shown = column.time && typeof value === 'number' ? (value > 0 ? formatUnixTime(value) : '') : value;
  const line = shown === undefined || shown === null ? '' : String(shown).split('\n')[0];
  const text = column.short ? line.slice(0, column.short) : line;
  return column.width && text.length > column.width ? `${text.slice(0, column.width - 1)}…` : text;
}

/** Writes text ending with a newline (a --format without `\n` still ends its line). */
function writeLine(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
