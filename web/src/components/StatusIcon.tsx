// A build, stage or step status as an icon with its name for screen readers; the same everywhere.

import type { Status } from '../api/types';

const GLYPHS: Record<Status, string> = {
  success: '✓',
  failure: '✕',
  error: '!',
  killed: '⊘',
  declined: '✕',
  running: '◔',
  pending: '○',
  waiting_on_dependencies: '○',
  blocked: '⏸',
  skipped: '⊖',
};

export function statusLabel(status: Status | string): string {
  return status === 'waiting_on_dependencies' ? 'waiting' : status;
}

export function StatusIcon({ status }: { status: Status | string }) {
  const glyph = GLYPHS[status as Status] ?? '?';
  return (
    <span className={`status status-${status}`} role="img" aria-label={statusLabel(status)} title={statusLabel(status)}>
      {glyph}
    </span>
  );
}
