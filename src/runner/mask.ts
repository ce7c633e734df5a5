// Secret masking (runner-go's replacer, research/drone-runner.md §2.6): every masked secret value of the
// stage is replaced by `******` in the log. Values are split on newlines and trimmed, and parts shorter
// than 2 characters are skipped (they would mask everything). Lines are masked whole, so a value split
// across two writes of the process is still caught. The value's base64 forms (encoded-secrets.ts) are
// masked too, so `echo $SECRET | base64` shows `******`.

import { base64Forms } from './encoded-secrets.js';

export const MASK = '******';

export class Masker {
  private readonly pattern?: RegExp;

  constructor(values: string[]) {
    const parts = new Set<string>();
    for (const value of values) {
      let maskable = false;
      for (const part of value.split('\n')) {
        const trimmed = part.trim();
        if (trimmed.length < 2) continue;
        parts.add(trimmed);
        maskable = true;
      }
      if (maskable) for (const encoded of base64Forms(value)) parts.add(encoded);
    }
    // Longest first, so a value containing another is masked whole.
    const sorted = [...parts].sort((a, b) => b.length - a.length);
    if (sorted.length > 0) this.pattern = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  }

  mask(text: string): string {
    return this.pattern ? text.replace(this.pattern, MASK) : text;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
