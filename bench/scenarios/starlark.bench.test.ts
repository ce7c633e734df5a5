// Starlark conversion: the time to turn a `.drone.star` that generates a 200-pipeline matrix into the build's
// configuration (run main(ctx), write Drone's documents) and then into stages (parse, lint, trigger, DAG),
// as the server does on every webhook of such a repository. Reported with the steps used of Drone's limit.

import { expect, it } from 'vitest';
import { planBuild } from '../../src/pipeline/plan.js';
import { DEFAULT_STEP_LIMIT, runDroneScript } from '../../src/pipeline/starlark/drone.js';
import type { DroneContext } from '../../src/pipeline/starlark/context.js';
import { recordResult } from '../support/results.js';
import { size } from '../support/size.js';

const RUNS = size(50, 2);

/** 10 Go versions × 4 platforms × 5 databases = 200 pipelines, built by helper functions. */
const MATRIX = `
GO = ["1.%d" % v for v in range(13, 23)]
PLATFORMS = [("linux", "amd64"), ("linux", "arm64"), ("linux", "arm"), ("windows", "amd64")]
DATABASES = ["sqlite", "postgres", "mysql", "mariadb", "cockroach"]

def step(name, image, commands, **extra):
    s = {"name": name, "image": image, "commands": commands}
    s.update(extra)
    return s

def service(db):
    if db == "sqlite":
        return []
    return [{"name": db, "image": "%s:latest" % db}]

def pipeline(ctx, go, platform, db):
    os, arch = platform
    name = "go%s-%s-%s-%s" % (go, os, arch, db)
    return {
        "kind": "pipeline",
        "type": "docker",
        "name": name,
        "platform": {"os": os, "arch": arch},
        "services": service(db),
        "steps": [
            step("deps", "golang:" + go, ["go mod download"]),
            step("test", "golang:" + go, ["go test -tags %s ./..." % db], environment = {"DB": db, "REPO": ctx.repo.slug}),
            step("build", "golang:" + go, ["go build -o bin/app-%s-%s" % (os, arch)], when = {"branch": ["main"]}),
        ],
        "trigger": {"event": ["push", "pull_request"]},
    }

def main(ctx):
    return [pipeline(ctx, go, p, db) for go in GO for p in PLATFORMS for db in DATABASES]
`;

const CONTEXT: DroneContext = {
  repo: {
    uid: '1', name: 'app', namespace: 'acme', slug: 'acme/app', git_http_url: '', git_ssh_url: '', link: '', branch: 'main', config: '.drone.star',
    private: false, visibility: 'public', active: true, trusted: false, protected: false, ignore_forks: false, ignore_pull_requests: false,
  },
  build: {
    event: 'push', action: '', cron: '', environment: '', link: '', branch: 'main', source: 'main', before: '', after: 'abc', target: 'main',
    ref: 'refs/heads/main', commit: 'abc', title: '', message: '', source_repo: '', author_login: '', author_name: '', author_email: '',
    author_avatar: '', sender: '', debug: false,
  },
  params: {},
  input: {},
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function timeRuns(runs: number, f: () => Promise<unknown> | unknown): Promise<number[]> {
  return (async () => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await f();
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b);
  })();
}

it('runs a 200-pipeline matrix script and plans its stages', async () => {
  const first = runDroneScript(MATRIX, '.drone.star', CONTEXT);
  if (!first.ok) throw new Error(first.error);
  expect(first.documents).toHaveLength(200);

  const convert = await timeRuns(RUNS, () => runDroneScript(MATRIX, '.drone.star', CONTEXT));
  const plan = await timeRuns(RUNS, async () => {
    const result = await planBuild({
      path: '.drone.star',
      data: MATRIX,
      trusted: false,
      trigger: { event: 'push', action: '', branch: 'main', ref: 'refs/heads/main', repo: 'acme/app', target: '', cron: '' },
      starlark: { enabled: true, context: CONTEXT },
    });
    if (!result.ok || result.stages.length !== 200) throw new Error(result.ok ? `${result.stages.length} stages` : result.error);
  });

  recordResult('starlark', 'single', {
    pipelines: 200,
    runs: RUNS,
    convert_median_ms: Number(percentile(convert, 50).toFixed(2)),
    convert_p95_ms: Number(percentile(convert, 95).toFixed(2)),
    plan_median_ms: Number(percentile(plan, 50).toFixed(2)),
    plan_p95_ms: Number(percentile(plan, 95).toFixed(2)),
    output_bytes: Buffer.byteLength(first.text),
    steps_used: first.steps,
    step_limit: DEFAULT_STEP_LIMIT,
  }, ['convert = run main(ctx) and write the documents; plan = convert + parse + lint + trigger + DAG (planBuild)']);
});
