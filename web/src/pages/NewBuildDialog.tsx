// “New build”: a branch and key/value parameters, sent as Drone does, all in the query of
// POST /api/repos/{owner}/{name}/builds?branch=…&KEY=VALUE; then the new build opens.

import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import { type RepoRef, repoPath } from '../api/paths';
import type { Build } from '../api/types';
import { DialogButton } from '../components/DialogButton';
import { ErrorMessage } from '../components/ErrorMessage';
import { FormButtons } from '../components/FormButtons';
import { ParameterFields, useParameters } from '../components/ParameterFields';
import { useBuildRequest } from '../components/use-build-request';

export function NewBuildButton({ repo }: { repo: RepoRef }) {
  return (
    <DialogButton label="New build" title="New build" primary>
      {(close) => <NewBuildForm repo={repo} close={close} />}
    </DialogButton>
  );
}

function NewBuildForm({ repo, close }: { repo: RepoRef; close: () => void }) {
  const [branch, setBranch] = useState('');
  const params = useParameters();
  const request = useBuildRequest(repo);

  function create(event: FormEvent) {
    event.preventDefault();
    void request.run(() => api<Build>(`${repoPath(repo)}/builds`, { method: 'POST', query: { ...params.query(), branch } }), close);
  }

  return (
    <form className="form" onSubmit={create}>
      {request.error ? <ErrorMessage title="The build was not created" error={request.error} /> : null}
      <label>
        Branch
        <input name="branch" placeholder="the default branch" value={branch} onChange={(e) => setBranch(e.target.value)} />
      </label>
      <ParameterFields params={params} />
      <FormButtons close={close} busy={request.busy} submit="Create" />
    </form>
  );
}
