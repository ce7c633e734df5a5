// The top of every repository page: its name and the tabs (Builds, Settings for those who may change it).

import type { ReactNode } from 'react';
import { Link, NavLink } from 'react-router';
import { type RepoRef, repoPage, settingsPage } from '../api/paths';
import { useViewer } from '../api/queries';
import type { Repo } from '../api/types';

export function canWrite(repo: Repo | undefined, admin: boolean | undefined): boolean {
  return Boolean(admin || repo?.permissions?.write);
}

export function RepoHeader({ repo, data, actions }: { repo: RepoRef; data?: Repo; actions?: ReactNode }) {
  const viewer = useViewer();
  return (
    <div className="repo-header">
      <div className="page-header">
        <h1>
          <Link to="/" className="muted">
            {repo.owner}
          </Link>
          {' / '}
          <Link to={repoPage(repo)}>{repo.name}</Link>
        </h1>
        {actions}
      </div>
      <nav className="tabs" aria-label="Repository">
        <NavLink to={repoPage(repo)} end>
          Builds
        </NavLink>
        {canWrite(data, viewer.data?.admin) ? <NavLink to={settingsPage(repo)}>Settings</NavLink> : null}
      </nav>
    </div>
  );
}
