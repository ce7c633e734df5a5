// `hangar sign <repo> [path]`: the HMAC signature of a .drone.yml (what a protected repository checks);
// --save writes it into the file as a `kind: signature` document, replacing any older one.

import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { repoPath } from '../client.js';
import { clientAction } from './action.js';
import { exitWithUsageCode, UsageError } from './exit-codes.js';

export function signCommand(): Command {
  const sign = new Command('sign')
    .argument('<repo>')
    .argument('[path]', 'the configuration file', '.drone.yml')
    .description('sign the configuration file')
    .option('--save', 'write the signature into the file');
  clientAction<{ save?: boolean }>(sign, async (drone, [slug, path = '.drone.yml'], options) => {
    const data = readConfig(path);
    const signed = await drone.post<{ data: string }>(`/api/repos/${repoPath(slug ?? '')}/sign`, { data });
    if (options.save) writeFileSync(path, withSignature(data, signed.data));
    else console.log(signed.data);
  });
  return exitWithUsageCode(sign);
}

function readConfig(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/**
 * The file's documents (split on `---` lines, up to a `...` line) without any `kind: signature` one, then the
 * new signature document: what drone's `sign --save` writes.
 */
function withSignature(yaml: string, hmac: string): string {
  const kept = splitDocuments(yaml).filter((doc) => doc.trim() !== '' && !/^kind:\s*["']?signature["']?\s*$/m.test(doc));
  return `${kept.map((doc) => `---\n${doc.replace(/\n*$/, '\n')}`).join('')}---\nkind: signature\nhmac: ${hmac}\n\n...\n`;
}

function splitDocuments(yaml: string): string[] {
  const documents: string[][] = [];
  let current: string[] | undefined;
  for (const line of yaml.split('\n')) {
    if (line.startsWith('...')) break;
    if (line.startsWith('---')) {
      current = undefined;
      continue;
    }
    if (!current) {
      current = [];
      documents.push(current);
    }
    current.push(line);
  }
  return documents.map((lines) => lines.join('\n'));
}
