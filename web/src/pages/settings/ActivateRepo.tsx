// An inactive repository: activating it (POST /api/repos/{owner}/{name}) makes Hangar build it.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { type RepoRef, repoPath } from '../../api/paths';
import { keys } from '../../api/queries';
import type { Repo } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';

export function ActivateRepo({ repo }: { repo: RepoRef }) {
  const client = useQueryClient();
  const activate = useMutation({
    mutationFn: () => api<Repo>(repoPath(repo), { method: 'POST' }),
    onSuccess: (saved) => {
      client.setQueryData(keys.repo(repo), saved);
      return client.invalidateQueries({ queryKey: keys.repos });
    },
  });
  return (
    <div className="card">
      <p>This repository is not active: Hangar does not build it.</p>
      {activate.error ? <ErrorMessage title="The repository was not activated" error={activate.error} /> : null}
      <button type="button" className="primary" onClick={() => activate.mutate()} disabled={activate.isPending}>
        Activate
      </button>
    </div>
  );
}
