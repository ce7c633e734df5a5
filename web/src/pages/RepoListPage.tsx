// /: the viewer's repositories with their latest build, filtered by a search box, live through /api/stream.

import { useState } from 'react';
import { Link } from 'react-router';
import { repoPage, settingsPage } from '../api/paths';
import { useRepos } from '../api/queries';
import type { Repo } from '../api/types';
import { QueryState } from '../components/QueryState';
import { RowList } from '../components/RowList';
import { StatusIcon } from '../components/StatusIcon';
import { useTitle } from '../components/Title';
import { firstLine } from '../components/text';
import { timeAgo } from '../components/time';
import { useRepoEvents } from '../live/use-repo-events';
import { SyncButton } from './SyncButton';

export function RepoListPage() {
  useTitle();
  useRepoEvents(null);
  const repos = useRepos();
  const [search, setSearch] = useState('');
  return (
    <div className="page">
      <div className="page-header">
        <h1>Repositories</h1>
        <div className="actions">
          <input type="search" className="search" aria-label="Filter repositories" placeholder="Filter…" value={search} onChange={(e) => setSearch(e.target.value)} />
          <SyncButton />
        </div>
      </div>
      <QueryState query={repos}>{(list) => <RepoList repos={matching(list, search)} />}</QueryState>
    </div>
  );
}

function matching(repos: Repo[], search: string): Repo[] {
  const needle = search.trim().toLowerCase();
  return needle ? repos.filter((repo) => repo.slug.toLowerCase().includes(needle)) : repos;
}

function RepoList({ repos }: { repos: Repo[] }) {
  const empty = (
    <>
      No repositories. Add one with <code>hangar repo add</code>, or sync them from your source-code host.
    </>
  );
  return <RowList items={repos} label="Repositories" empty={empty} id={(repo) => repo.id} row={(repo) => <RepoRow repo={repo} />} />;
}

function RepoRow({ repo }: { repo: Repo }) {
  const ref = { owner: repo.namespace, name: repo.name };
  const build = repo.build;
  return (
    <Link className="row" to={repo.active ? repoPage(ref) : settingsPage(ref)}>
      {build ? <StatusIcon status={build.status} /> : <span className="status status-none" aria-hidden="true" />}
      <span className="row-main">
        <span className="row-title">{repo.slug}</span>
        <span className="row-sub">{build ? firstLine(build.message) : repo.active ? 'No builds yet' : 'Not active'}</span>
      </span>
      {build ? <span className="row-side">{timeAgo(build.created)}</span> : null}
    </Link>
  );
}
