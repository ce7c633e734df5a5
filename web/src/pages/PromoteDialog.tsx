// Promote or roll back a finished build to a target (POST …/builds/{n}/promote|rollback?target=…&KEY=VALUE),
// then open the new build.

import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import { type RepoRef, buildPath } from '../api/paths';
import type { Build } from '../api/types';
import { DialogButton } from '../components/DialogButton';
import { ErrorMessage } from '../components/ErrorMessage';
import { ParameterFields, useParameters } from '../components/ParameterFields';
import { FormButtons } from '../components/FormButtons';
import { useBuildRequest } from '../components/use-build-request';

export function PromoteButton({ repo, build }: { repo: RepoRef; build: Build }) {
  return (
    <DialogButton label="Promote" title={`Promote build #${build.number}`}>
      {(close) => <PromoteForm repo={repo} build={build} close={close} />}
    </DialogButton>
  );
}

function PromoteForm({ repo, build, close }: { repo: RepoRef; build: Build; close: () => void }) {
  const [action, setAction] = useState<'promote' | 'rollback'>('promote');
  const [target, setTarget] = useState('production');
  const params = useParameters();
  const request = useBuildRequest(repo);

  function submit(event: FormEvent) {
    event.preventDefault();
    void request.run(() => api<Build>(`${buildPath(repo, build.number)}/${action}`, { method: 'POST', query: { ...params.query(), target } }), close);
  }

  return (
    <form className="form" onSubmit={submit}>
      {request.error ? <ErrorMessage title={`The ${action} failed`} error={request.error} /> : null}
      <label>
        Action
        <select value={action} onChange={(e) => setAction(e.target.value === 'rollback' ? 'rollback' : 'promote')}>
          <option value="promote">Promote</option>
          <option value="rollback">Roll back</option>
        </select>
      </label>
      <label>
        Target
        <input required value={target} onChange={(e) => setTarget(e.target.value)} />
      </label>
      <ParameterFields params={params} />
      <FormButtons close={close} busy={request.busy} submit={action === 'promote' ? 'Promote' : 'Roll back'} />
    </form>
  );
}
