// /{owner}/{name}/settings[/secrets|/cron|/badges]: the repository's settings, one section a page.

import { NavLink, Outlet } from 'react-router';
import { settingsPage } from '../../api/paths';
import { useRepo } from '../../api/queries';
import { ErrorMessage } from '../../components/ErrorMessage';
import { RepoHeader } from '../../components/RepoHeader';
import { useTitle } from '../../components/Title';
import { useRepoRef } from '../use-repo-ref';
import { ActivateRepo } from './ActivateRepo';

const SECTIONS = [
  ['', 'General'],
  ['secrets', 'Secrets'],
  ['cron', 'Cron jobs'],
  ['badges', 'Badges'],
] as const;

export function SettingsLayout() {
  const ref = useRepoRef();
  useTitle('Settings', `${ref.owner}/${ref.name}`);
  const repo = useRepo(ref);
  return (
    <div className="page">
      <RepoHeader repo={ref} data={repo.data} />
      {repo.error ? <ErrorMessage error={repo.error} /> : null}
      {repo.data && !repo.data.active ? <ActivateRepo repo={ref} /> : null}
      <div className="settings">
        <nav className="subnav" aria-label="Settings">
          {SECTIONS.map(([section, label]) => (
            <NavLink key={section} to={settingsPage(ref, section)} end>
              {label}
            </NavLink>
          ))}
        </nav>
        <section className="settings-body">
          <Outlet />
        </section>
      </div>
    </div>
  );
}
