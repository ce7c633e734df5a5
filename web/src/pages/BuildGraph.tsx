// The graph view of a build: its stages, then the selected stage's steps (loaded on demand: the layout
// library stays out of the first page's JavaScript).

import { type RepoRef, stepPage } from '../api/paths';
import type { Build, Stage, Step } from '../api/types';
import { DependencyGraph, type GraphNode } from './DependencyGraph';

interface Props {
  repo: RepoRef;
  build: Build;
  stage?: Stage;
  step?: Step;
}

export default function BuildGraph({ repo, build, stage, step }: Props) {
  const stages: GraphNode[] = (build.stages ?? []).map((s) => ({
    name: s.name,
    status: s.status,
    dependsOn: s.depends_on ?? [],
    to: `${stepPage(repo, build.number, s.number, 1)}?view=graph`,
    selected: s.id === stage?.id,
  }));
  return (
    <>
      <h3>Stages</h3>
      <DependencyGraph nodes={stages} label="Stages" />
      {stage ? (
        <>
          <h3>Steps of {stage.name}</h3>
          <DependencyGraph nodes={stepNodes(repo, build, stage, step)} label={`Steps of ${stage.name}`} />
        </>
      ) : null}
    </>
  );
}

/** Steps run by `depends_on` when any step names one; otherwise one after another, in order. */
function stepNodes(repo: RepoRef, build: Build, stage: Stage, selected?: Step): GraphNode[] {
  const steps = stage.steps ?? [];
  const explicit = steps.some((s) => (s.depends_on ?? []).length > 0);
  return steps.map((s, index) => ({
    name: s.name,
    status: s.status,
    dependsOn: explicit ? (s.depends_on ?? []) : index > 0 ? [steps[index - 1]?.name ?? ''] : [],
    to: `${stepPage(repo, build.number, stage.number, s.number)}?view=graph`,
    selected: s.id === selected?.id,
  }));
}
