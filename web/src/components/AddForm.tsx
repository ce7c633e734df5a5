// The form under a list that adds one more (a secret, a cron job, a user): its fields, the API's refusal,
// and the submit button.

import type { FormEvent, ReactNode } from 'react';
import { ErrorMessage } from './ErrorMessage';

interface Props {
  /** "a secret", "a cron job", … */
  what: string;
  onAdd: () => void;
  error: unknown;
  busy: boolean;
  children: ReactNode;
}

export function AddForm({ what, onAdd, error, busy, children }: Props) {
  function submit(event: FormEvent) {
    event.preventDefault();
    onAdd();
  }
  return (
    <form className="form card" onSubmit={submit}>
      <h3>Add {what}</h3>
      {error ? <ErrorMessage title={`Could not add ${what}`} error={error} /> : null}
      {children}
      <button type="submit" className="primary" disabled={busy}>
        Add {what.replace(/^an? /, 'the ')}
      </button>
    </form>
  );
}
