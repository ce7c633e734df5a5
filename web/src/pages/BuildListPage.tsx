// /{owner}/{name}: the repository's builds, newest first, live through /api/stream/{owner}/{name}.

import { Link } from 'react-router';
import { buildPage } from '../api/paths';
import { useBuilds, useRepo, useViewer } from '../api/queries';
import type { Build } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { QueryState } from '../components/QueryState';
import { RepoHeader, canWrite } from '../components/RepoHeader';
import { RowList } from '../components/RowList';
import { StatusIcon } from '../components/StatusIcon';
import { Ticker } from '../components/Ticker';
import { destination, firstLine, shortSha } from '../components/text';
import { duration, timeAgo } from '../components/time';
import { useTitle } from '../components/Title';
import { useRepoEvents } from '../live/use-repo-events';
import { BuildFilters, useBuildFilter } from './BuildFilters';
import { NewBuildButton } from './NewBuildDialog';
import { useRepoRef } from './use-repo-ref';

export function BuildListPage() {
  const ref = useRepoRef();
  useTitle(`${ref.owner}/${ref.name}`);
  useRepoEvents(ref);
  const repo = useRepo(ref);
  const viewer = useViewer();
  const builds = useBuilds(ref);
  const filter = useBuildFilter();
  const actions = canWrite(repo.data, viewer.data?.admin) ? <NewBuildButton repo={ref} /> : null;
  return (
    <div className="page">
      <RepoHeader repo={ref} data={repo.data} actions={actions} />
      {repo.error ? <ErrorMessage error={repo.error} /> : null}
      <QueryState query={{ ...builds, data: builds.data?.pages.flat() }}>
        {(list) => (
          <>
            <BuildFilters builds={list} />
            <BuildList builds={filter(list)} />
            {builds.hasNextPage ? (
              <button type="button" onClick={() => void builds.fetchNextPage()} disabled={builds.isFetchingNextPage}>
                Load more builds
              </button>
            ) : null}
            {builds.error ? <ErrorMessage error={builds.error} /> : null}
          </>
        )}
      </QueryState>
    </div>
  );
}

function BuildList({ builds }: { builds: Build[] }) {
  return <RowList items={builds} label="Builds" empty="No builds yet. Push a commit, or start one with “New build”." id={(build) => build.id} row={(build) => <BuildRow build={build} />} />;
}

function BuildRow({ build }: { build: Build }) {
  const ref = useRepoRef();
  const running = build.status === 'running';
  return (
    <Link className="row" to={buildPage(ref, build.number)}>
      <StatusIcon status={build.status} />
      <span className="row-main">
        <span className="row-title">
          #{build.number} {firstLine(build.message) || `(${build.event})`}
        </span>
        <span className="row-sub">
          {build.author_login || build.sender} {eventVerb(build.event)} <code>{shortSha(build.after)}</code> to <span className="chip">{destination(build)}</span>
        </span>
      </span>
      <span className="row-side">
        <span>{timeAgo(build.created)}</span>
        <Ticker active={running}>{() => <span>{duration(build.started, build.finished)}</span>}</Ticker>
      </span>
    </Link>
  );
}

function eventVerb(event: string): string {
  const verbs: Record<string, string> = { pull_request: 'opened a pull request', tag: 'tagged', promote: 'promoted', rollback: 'rolled back', cron: 'scheduled', custom: 'started' };
  return verbs[event] ?? 'pushed';
}
