// The base64 forms of a secret value that a step can print without meaning to: `echo $SECRET | base64`
// (echo adds a newline; unquoted, the shell also folds whitespace runs into single spaces), `echo -n` or
// `printf %s` piped to base64, Buffer/btoa, JWT-style base64url without padding. Each form is masked like
// the value itself. Tools that wrap their output (coreutils `base64` at 76 columns, `openssl base64` at 64)
// print a long encoding on several lines, so each wrapped line is masked too; a last line shorter than
// MIN_FRAGMENT is left (it holds at most a few bytes of the value, and masking so short a string would
// blank unrelated text everywhere).
//
// An encoding of a longer text that merely contains the secret is not caught: its base64 depends on what
// precedes the secret.

const WRAP_COLUMNS = [76, 64] as const;
const MIN_FRAGMENT = 8;

/** The plain texts a shell hands to `base64` for this value. */
function printedForms(value: string): string[] {
  const trimmed = value.trim();
  const folded = trimmed.split(/\s+/).join(' ');
  const forms = new Set<string>();
  for (const text of [value, trimmed, folded]) {
    forms.add(text);
    forms.add(`${text}\n`);
  }
  forms.delete('');
  return [...forms];
}

/** Every base64 string (standard and URL-safe, with and without padding, whole and wrapped) worth masking. */
export function base64Forms(value: string): string[] {
  const out = new Set<string>();
  for (const text of printedForms(value)) {
    const bytes = Buffer.from(text, 'utf8');
    const standard = bytes.toString('base64');
    const urlSafe = bytes.toString('base64url');
    const padding = standard.length - standard.replace(/=+$/, '').length;
    for (const form of [standard, standard.slice(0, standard.length - padding), urlSafe, urlSafe + '='.repeat(padding)]) out.add(form);
    for (const columns of WRAP_COLUMNS) {
      if (standard.length <= columns) continue;
      for (let start = 0; start < standard.length; start += columns) {
        const line = standard.slice(start, start + columns);
        if (line.length >= MIN_FRAGMENT) out.add(line);
      }
    }
  }
  return [...out];
}
