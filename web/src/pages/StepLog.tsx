// The selected step: its log as it is written, and how it ended.

import type { RepoRef } from '../api/paths';
import type { Stage, Step } from '../api/types';
import { StatusIcon, statusLabel } from '../components/StatusIcon';
import { ErrorMessage } from '../components/ErrorMessage';
import { useLogStream } from '../live/use-log-stream';
import { LogView } from './LogView';

interface Props {
  repo: RepoRef;
  build: number;
  stage: Stage;
  step: Step;
}

export function StepLog({ repo, build, stage, step }: Props) {
  const log = useLogStream(repo, build, stage.number, step.number);
  return (
    <>
      <h3 className="log-title">
        {stage.name} / {step.name}
      </h3>
      {log.state === 'failed' ? <ErrorMessage title="The log could not be loaded" error={new Error('The log stream closed. Reload the page to try again.')} /> : null}
      <LogView lines={log.lines} state={log.state} name={`logs_${repo.owner}_${repo.name}_${build}_${stage.number}_${step.number}.log`} />
      <p className="log-footer" role="status">
        <StatusIcon status={step.status} /> {outcome(step)}
      </p>
    </>
  );
}

function outcome(step: Step): string {
  if (step.status === 'running') return 'Running…';
  if (step.status === 'pending' || step.status === 'waiting_on_dependencies') return 'Waiting to start…';
  if (step.status === 'success' || step.status === 'failure') return `Exit code ${step.exit_code}`;
  return step.error ? `${statusLabel(step.status)}: ${step.error}` : `Step ${statusLabel(step.status)}`;
}
