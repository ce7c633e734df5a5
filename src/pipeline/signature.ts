// `kind: signature` documents (drone-yaml signer): an HMAC-SHA256, keyed with the repository's secret,
// over the raw text of every other document exactly as the splitter cuts them. The server checks it for
// protected repositories; `signConfig` writes it the way `drone sign` does.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseYamlDocument } from './yaml/decoder.js';
import { Fields } from './yaml/fields.js';
import { splitDocuments } from './yaml/split.js';

interface Raw {
  text: string;
  kind: string;
  hmac: string;
}

/** undefined when a document's header cannot be read (Drone treats that as unverified). */
function rawDocuments(config: string): Raw[] | undefined {
  const out: Raw[] = [];
  for (const doc of splitDocuments(config).documents) {
    const { decoder, root } = parseYamlDocument(doc.text, doc.firstLine);
    const fields = decoder.errors.length === 0 ? Fields.of(decoder, root, '', 'a map') : undefined;
    const kind = fields?.string('kind') ?? '';
    const hmac = kind === 'signature' ? (fields?.string('hmac') ?? '') : '';
    if (!fields || decoder.errors.length > 0) return undefined;
    out.push({ text: doc.text, kind, hmac });
  }
  return out;
}

function sign(docs: Raw[], key: string): Buffer | undefined {
  const keyBytes = Buffer.from(key, 'utf8');
  if (keyBytes.length < 32) return undefined;
  const mac = createHmac('sha256', keyBytes);
  for (const doc of docs) if (doc.kind !== 'signature') mac.update(doc.text, 'utf8');
  return mac.digest();
}

/** Whether the configuration carries a valid signature for `key` (the repository secret, ≥ 32 bytes). */
export function verifySignature(config: string, key: string): boolean {
  const docs = rawDocuments(config);
  if (!docs) return false;
  const signature = docs.find((d) => d.kind === 'signature');
  if (!signature || !/^([0-9a-fA-F]{2})*$/.test(signature.hmac)) return false;
  const expected = sign(docs, key);
  const given = Buffer.from(signature.hmac, 'hex');
  return expected !== undefined && given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The hex HMAC of the configuration, as `POST /api/repos/{owner}/{name}/sign` answers it (drone-yaml's
 * signer.Sign); undefined when a document cannot be read or the key is shorter than 32 bytes.
 */
export function signatureOf(config: string, key: string): string | undefined {
  const docs = rawDocuments(config);
  return docs && sign(docs, key)?.toString('hex');
}

/** The configuration re-emitted with a fresh signature document, as `drone sign --save` writes it. */
export function signConfig(config: string, key: string): string | undefined {
  const docs = rawDocuments(config);
  if (!docs) return undefined;
  const mac = sign(docs, key);
  if (!mac) return undefined;
  const body = docs.filter((d) => d.kind !== 'signature').map((d) => '---\n' + d.text).join('');
  return `${body}---\nkind: signature\nhmac: ${mac.toString('hex')}\n\n...\n`;
}
