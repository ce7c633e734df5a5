// Settings › General: PATCH /api/repos/{owner}/{name} with the repository's options.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import { repoPath } from '../../api/paths';
import { keys, useRepo } from '../../api/queries';
import type { Repo } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { QueryState } from '../../components/QueryState';
import { useRepoRef } from '../use-repo-ref';

type Options = Pick<Repo, 'protected' | 'trusted' | 'visibility' | 'timeout' | 'config_path' | 'auto_cancel_pushes' | 'auto_cancel_pull_requests' | 'auto_cancel_running' | 'ignore_forks' | 'ignore_pull_requests' | 'throttle'>;

const TOGGLES: Array<[keyof Options, string]> = [
  ['protected', 'Protected: builds from webhooks wait for approval unless the configuration is signed'],
  ['trusted', 'Trusted: steps may use privileged settings'],
  ['auto_cancel_pushes', 'Auto-cancel pending push builds'],
  ['auto_cancel_pull_requests', 'Auto-cancel pending pull-request builds'],
  ['auto_cancel_running', 'Auto-cancel running builds too'],
  ['ignore_pull_requests', 'Ignore pull requests'],
  ['ignore_forks', 'Ignore forks'],
];

export function GeneralSettings() {
  const ref = useRepoRef();
  const repo = useRepo(ref);
  return <QueryState query={repo}>{(data) => <GeneralForm key={data.version} repo={data} />}</QueryState>;
}

function GeneralForm({ repo }: { repo: Repo }) {
  const ref = useRepoRef();
  const client = useQueryClient();
  const [options, setOptions] = useState<Options>(() => pick(repo));
  const save = useMutation({
    mutationFn: () => api<Repo>(repoPath(ref), { method: 'PATCH', body: options }),
    onSuccess: (saved) => client.setQueryData(keys.repo(ref), saved),
  });
  const set = (change: Partial<Options>) => setOptions((current) => ({ ...current, ...change }));

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <form className="form" onSubmit={submit}>
      <h2>General</h2>
      {save.error ? <ErrorMessage title="The settings were not saved" error={save.error} /> : null}
      {save.isSuccess ? <p role="status">Saved.</p> : null}
      {TOGGLES.map(([key, label]) => (
        <label className="check" key={key}>
          <input type="checkbox" checked={Boolean(options[key])} onChange={(e) => set({ [key]: e.target.checked })} />
          {label}
        </label>
      ))}
      <label>
        Visibility
        <select value={options.visibility} onChange={(e) => set({ visibility: e.target.value })}>
          <option value="private">Private</option>
          <option value="internal">Internal</option>
          <option value="public">Public</option>
        </select>
      </label>
      <label>
        Timeout (minutes)
        <input type="number" min={1} value={options.timeout} onChange={(e) => set({ timeout: Number(e.target.value) })} />
      </label>
      <label>
        Concurrent builds (0: no limit)
        <input type="number" min={0} value={options.throttle ?? 0} onChange={(e) => set({ throttle: Number(e.target.value) })} />
      </label>
      <label>
        Configuration file
        <input value={options.config_path} onChange={(e) => set({ config_path: e.target.value })} />
      </label>
      <button type="submit" className="primary" disabled={save.isPending}>
        Save
      </button>
    </form>
  );
}

function pick(repo: Repo): Options {
  const { protected: isProtected, trusted, visibility, timeout, config_path, auto_cancel_pushes, auto_cancel_pull_requests, auto_cancel_running, ignore_forks, ignore_pull_requests, throttle } = repo;
  return { protected: isProtected, trusted, visibility, timeout, config_path, auto_cancel_pushes, auto_cancel_pull_requests, auto_cancel_running, ignore_forks, ignore_pull_requests, throttle };
}
