// Webhook signatures: the HMAC-SHA256 of the raw body with the repository's secret, compared in constant
// time by @octokit/webhooks-methods. GitHub sends it as `sha256=<hex>`; Gitea and Gogs as the bare hex.

import { verify } from '@octokit/webhooks-methods';

/** `sha256=<hex>` (GitHub's X-Hub-Signature-256). */
export async function verifyPrefixedHmac(secret: string, body: string, signature: string): Promise<boolean> {
  if (!secret || !signature) return false;
  return verify(secret, body, signature).catch(() => false);
}

/** A bare hex digest (X-Gitea-Signature, X-Gogs-Signature). */
export async function verifyBareHmac(secret: string, body: string, hex: string): Promise<boolean> {
  const digest = hex.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(digest)) return false;
  return verifyPrefixedHmac(secret, body, `sha256=${digest}`);
}
