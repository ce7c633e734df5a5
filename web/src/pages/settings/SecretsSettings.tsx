// Settings › Secrets: the repository's secrets by name (values are never shown), add and delete.

import { useState } from 'react';
import { repoPath } from '../../api/paths';
import { keys, useSecrets } from '../../api/queries';
import type { Secret } from '../../api/types';
import { AddForm } from '../../components/AddForm';
import { NamedTable } from '../../components/NamedTable';
import { useRepoRef } from '../use-repo-ref';
import { useCollectionChanges } from './use-collection';

export function SecretsSettings() {
  const ref = useRepoRef();
  const secrets = useSecrets(ref);
  const { create, remove } = useCollectionChanges<Secret>(`${repoPath(ref)}/secrets`, keys.secrets(ref));
  const [draft, setDraft] = useState({ name: '', data: '', pull_request: false });

  const add = () => create.mutate(draft, { onSuccess: () => setDraft({ name: '', data: '', pull_request: false }) });

  return (
    <>
      <h2>Secrets</h2>
      <NamedTable
        query={secrets}
        remove={remove}
        columns={['Pull requests']}
        name={(secret) => secret.name}
        cells={(secret) => [secret.pull_request ? 'Allowed' : 'Not allowed']}
        empty="No secrets."
      />
      <AddForm what="a secret" onAdd={add} error={create.error} busy={create.isPending}>
        <label>
          Name
          <input required value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </label>
        <label>
          Value
          <textarea required value={draft.data} onChange={(e) => setDraft({ ...draft, data: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.pull_request} onChange={(e) => setDraft({ ...draft, pull_request: e.target.checked })} />
          Allow in pull requests
        </label>
      </AddForm>
    </>
  );
}
