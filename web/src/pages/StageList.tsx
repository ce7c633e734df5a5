// The stages of a build with their steps, each step a link to its log (or its place in the graph).

import { Link } from 'react-router';
import { type RepoRef, stepPage } from '../api/paths';
import type { Build, Step } from '../api/types';
import { StatusIcon } from '../components/StatusIcon';
import { Ticker } from '../components/Ticker';
import { duration } from '../components/time';

export function StageList({ repo, build, selected, query }: { repo: RepoRef; build: Build; selected?: Step; query: string }) {
  return (
    <nav className="stages" aria-label="Stages and steps">
      {(build.stages ?? []).map((stage) => (
        <div className="stage" key={stage.id}>
          <div className="stage-name">
            <StatusIcon status={stage.status} />
            <span>{stage.name}</span>
            <Timing started={stage.started} stopped={stage.stopped} status={stage.status} />
          </div>
          <ol className="steps">
            {(stage.steps ?? []).map((step) => (
              <li key={step.id}>
                <Link to={stepPage(repo, build.number, stage.number, step.number) + query} aria-current={step.id === selected?.id ? 'page' : undefined} className="step">
                  <StatusIcon status={step.status} />
                  <span>{step.name}</span>
                  <Timing started={step.started} stopped={step.stopped} status={step.status} />
                </Link>
              </li>
            ))}
          </ol>
        </div>
      ))}
    </nav>
  );
}

function Timing({ started, stopped, status }: { started?: number; stopped?: number; status: string }) {
  return (
    <span className="timing">
      <Ticker active={status === 'running'}>{() => duration(started, stopped)}</Ticker>
    </span>
  );
}
