// /{owner}/{name}/{build}[/{stage}/{step}]: a build's stages and steps, and the selected step's log,
// live. Stage and step default to the first of each, as on Drone.

import { type ReactNode, Suspense, lazy } from 'react';
import { Navigate } from 'react-router';
import { isDone } from '../../../src/core/status.js';
import { type RepoRef, stepPage } from '../api/paths';
import { useBuild, useRepo, useViewer } from '../api/queries';
import type { Build, Stage } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { QueryState } from '../components/QueryState';
import { RepoHeader, canWrite } from '../components/RepoHeader';
import { StatusIcon, statusLabel } from '../components/StatusIcon';
import { Ticker } from '../components/Ticker';
import { destination, firstLine, shortSha } from '../components/text';
import { dateTime, duration } from '../components/time';
import { useTitle } from '../components/Title';
import { useRepoEvents } from '../live/use-repo-events';
import { BuildActions } from './BuildActions';
import { StageList } from './StageList';
import { StepLog } from './StepLog';
import { ViewToggle, useView } from './build-view';
import { useNumberParam, useRepoRef } from './use-repo-ref';

const BuildGraph = lazy(() => import('./BuildGraph'));

export function BuildPage() {
  const ref = useRepoRef();
  const number = useNumberParam('build');
  if (number === undefined) return <ErrorMessage title="Page not found" error={new Error('There is no such build.')} />;
  return <BuildOf repo={ref} number={number} />;
}

function BuildOf({ repo, number }: { repo: RepoRef; number: number }) {
  useTitle(`Build #${number}`, `${repo.owner}/${repo.name}`);
  useRepoEvents(repo);
  const repoQuery = useRepo(repo);
  const viewer = useViewer();
  const build = useBuild(repo, number);
  const writer = canWrite(repoQuery.data, viewer.data?.admin);
  return (
    <div className="page">
      <RepoHeader repo={repo} data={repoQuery.data} />
      <QueryState query={build}>
        {(data) => (
          <>
            <BuildSummary build={data} actions={writer ? <BuildActions repo={repo} build={data} /> : null} />
            <BuildBody repo={repo} build={data} />
          </>
        )}
      </QueryState>
    </div>
  );
}

function BuildSummary({ build, actions }: { build: Build; actions: ReactNode }) {
  return (
    <section className="build-summary" aria-label="Build">
      <div className="page-header">
        <h2>
          <StatusIcon status={build.status} /> #{build.number} {firstLine(build.title || build.message) || `(${build.event})`}
        </h2>
        {actions}
      </div>
      <p className="row-sub">
        <span className="build-status">{statusLabel(build.status)}</span> · {build.author_login || build.sender} · {build.event} · <code>{shortSha(build.after)}</code> to{' '}
        <span className="chip">{destination(build)}</span> · {dateTime(build.created)} ·{' '}
        <Ticker active={!isDone(build.status)}>{() => <span>{duration(build.started, build.finished)}</span>}</Ticker>
      </p>
      {build.error ? <ErrorMessage title="The build failed to run" error={new Error(build.error)} /> : null}
    </section>
  );
}

function BuildBody({ repo, build }: { repo: RepoRef; build: Build }) {
  const stageNumber = useNumberParam('stage');
  const stepNumber = useNumberParam('step');
  const stages = build.stages ?? [];
  const stage = stages.find((s) => s.number === (stageNumber ?? 1));
  const step = stage?.steps?.find((s) => s.number === (stepNumber ?? 1));
  const { view, query } = useView();
  if (stageNumber === undefined && step && stage) return <Navigate to={stepPage(repo, build.number, stage.number, step.number) + query} replace />;
  return (
    <>
      <ViewToggle view={view} />
      <div className="build-body">
        <StageList repo={repo} build={build} selected={step} query={query} />
        <section className="log-pane" aria-label={view === 'graph' ? 'Graph' : 'Step log'}>
          {view === 'graph' ? (
            <Suspense fallback={<p className="loading" role="status">Loading…</p>}>
              <BuildGraph repo={repo} build={build} stage={stage} step={step} />
            </Suspense>
          ) : stage && step ? (
          <StepLog key={`${build.number}/${stage.number}/${step.number}`} repo={repo} build={build.number} stage={stage} step={step} />
          ) : (
            <p className="empty">{stages.length === 0 ? 'This build has no stages.' : stage ? stageWaiting(stage) : 'There is no such stage or step.'}</p>
          )}
        </section>
      </div>
    </>
  );
}


function stageWaiting(stage: Stage): string {
  return stage.error || (isDone(stage.status) ? `This stage has no steps (${statusLabel(stage.status)}).` : 'This stage has not started yet.');
}
