// Sync the repository list from the SCM (POST /api/user/repos, which answers the new list). Only with an
// SCM: the local git provider has nothing to sync from.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { loginMode } from '../api/login-mode';
import { keys } from '../api/queries';
import type { Repo } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';

export function SyncButton() {
  const client = useQueryClient();
  const sync = useMutation({
    mutationFn: () => api<Repo[]>('/user/repos', { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.repos }),
  });
  if (loginMode() === 'token') return null;
  return (
    <>
      <button type="button" onClick={() => sync.mutate()} disabled={sync.isPending}>
        {sync.isPending ? 'Syncing…' : 'Sync'}
      </button>
      {sync.error ? <ErrorMessage title="The sync failed" error={sync.error} /> : null}
    </>
  );
}
