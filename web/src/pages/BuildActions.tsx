// What a writer can do with a build: approve or decline one that waits for approval; cancel one that is
// not done (DELETE …/builds/{n}); restart (POST …/builds/{n}, then the new build opens), promote or roll
// back one that is. A refusal shows the API's message.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { isDone } from '../../../src/core/status.js';
import { api } from '../api/client';
import { type RepoRef, buildPath } from '../api/paths';
import { keys } from '../api/queries';
import type { Build } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { useBuildRequest } from '../components/use-build-request';
import { PromoteButton } from './PromoteDialog';

export function BuildActions({ repo, build }: { repo: RepoRef; build: Build }) {
  const client = useQueryClient();
  const path = buildPath(repo, build.number);
  const refresh = () => client.invalidateQueries({ queryKey: keys.build(repo, build.number) });
  const change = useMutation({ mutationFn: (request: () => Promise<unknown>) => request(), onSuccess: refresh });
  const restart = useBuildRequest(repo);
  const blocked = (build.stages ?? []).filter((stage) => stage.status === 'blocked');

  const approve = () => change.mutate(() => Promise.all(blocked.map((stage) => api(`${path}/approve/${stage.number}`, { method: 'POST' }))));
  const decline = () => change.mutate(() => api(`${path}/decline`, { method: 'POST' }));
  const cancel = () => change.mutate(() => api<Build>(path, { method: 'DELETE' }));
  const failed = change.error ?? restart.error;

  return (
    <div className="actions">
      {blocked.length > 0 ? (
        <>
          <button type="button" className="primary" onClick={approve} disabled={change.isPending}>
            Approve
          </button>
          <button type="button" className="danger" onClick={decline} disabled={change.isPending}>
            Decline
          </button>
        </>
      ) : null}
      {isDone(build.status) ? (
        <>
          <button type="button" onClick={() => void restart.run(() => api<Build>(path, { method: 'POST' }))} disabled={restart.busy}>
            Restart
          </button>
          <PromoteButton repo={repo} build={build} />
        </>
      ) : (
        <button type="button" className="danger" onClick={cancel} disabled={change.isPending}>
          Cancel
        </button>
      )}
      {failed ? <ErrorMessage title="The action failed" error={failed} /> : null}
    </div>
  );
}
