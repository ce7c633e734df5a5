// `when` / `trigger` evaluation as Drone does it (research/drone-runner.md §5.6): string, list and
// include/exclude forms, doublestar globs, fields ANDed, shapes Drone silently ignores, and how `status`
// becomes a step's run policy or a stage's on_success/on_failure.

import { describe, expect, it } from 'vitest';
import { runPolicyOf, stageRunFlags, stepConditionsMatch, triggerMatches, type MatchInput } from '../../../src/pipeline/conditions/match.js';
import { decodeConditions } from '../../../src/pipeline/manifest/decode.js';
import { parseYamlDocument } from '../../../src/pipeline/yaml/decoder.js';
import { Fields } from '../../../src/pipeline/yaml/fields.js';

function conditions(yaml: string) {
  const { decoder, root } = parseYamlDocument(yaml, 1);
  const fields = Fields.of(decoder, root, '', 'a map');
  if (!fields) throw new Error('not a map');
  const result = decodeConditions(decoder, fields.node('when'), 'when');
  expect(decoder.errors).toEqual([]);
  return result;
}

const base: MatchInput = {
  action: '',
  branch: 'main',
  cron: '',
  event: 'push',
  instance: 'drone.example.com',
  ref: 'refs/heads/main',
  repo: 'octocat/hello-world',
  target: '',
};

// [description, when YAML, build values, step matches, trigger matches (defaults to the step result)]
type Case = [string, string, Partial<MatchInput>, boolean, boolean?];

const cases: Case[] = [
  ['no conditions match everything', 'when: {}', {}, true],
  ['a null when matches everything', 'when:', {}, true],
  ['branch string matches', 'when: {branch: main}', {}, true],
  ['branch string rejects', 'when: {branch: main}', { branch: 'develop' }, false],
  ['branch list matches any item', 'when: {branch: [main, develop]}', { branch: 'develop' }, true],
  ['branch list rejects others', 'when: {branch: [main, develop]}', { branch: 'feature/x' }, false],
  ['include form matches', 'when: {branch: {include: [main]}}', {}, true],
  ['exclude form rejects the value', 'when: {branch: {exclude: [main]}}', {}, false],
  ['exclude form accepts other values', 'when: {branch: {exclude: [main]}}', { branch: 'dev' }, true],
  ['exclude beats include', 'when: {branch: {include: ["feature/*"], exclude: [feature/wip]}}', { branch: 'feature/wip' }, false],
  ['include with exclude accepts the rest', 'when: {branch: {include: ["feature/*"], exclude: [feature/wip]}}', { branch: 'feature/login' }, true],
  ['same value in include and exclude is excluded', 'when: {event: {include: [push], exclude: [push]}}', {}, false],
  ['* does not cross /', 'when: {branch: "feature/*"}', { branch: 'feature/a/b' }, false],
  ['** crosses /', 'when: {branch: "feature/**"}', { branch: 'feature/a/b' }, true],
  ['feature/** does not match feature', 'when: {branch: "feature/**"}', { branch: 'feature' }, false],
  ['brace alternatives', 'when: {branch: "{main,develop}"}', { branch: 'develop' }, true],
  ['character class matches', 'when: {branch: "release-[0-9]*"}', { branch: 'release-2024' }, true],
  ['character class rejects', 'when: {branch: "release-[0-9]*"}', { branch: 'release-x' }, false],
  ['negated class', 'when: {branch: "v[^0]"}', { branch: 'v1' }, true],
  ['a malformed include pattern matches nothing', 'when: {branch: "["}', {}, false],
  ['a malformed exclude pattern excludes nothing', 'when: {branch: {exclude: ["["]}}', {}, true],
  ['non-empty include never matches an empty value', 'when: {cron: nightly}', { cron: '' }, false],
  ['cron name matches', 'when: {cron: nightly}', { cron: 'nightly', event: 'cron' }, true],
  ['cron list', 'when: {cron: [hourly, nightly]}', { cron: 'nightly', event: 'cron' }, true],
  ['exclude matches an empty value only by pattern', 'when: {branch: {exclude: [main]}}', { branch: '' }, true],
  ['* matches an empty value', 'when: {target: "*"}', { target: '' }, true],
  ['event list rejects', 'when: {event: [push, pull_request]}', { event: 'tag' }, false],
  ['event exclude accepts others', 'when: {event: {exclude: [pull_request]}}', {}, true],
  ['event exclude rejects', 'when: {event: {exclude: [pull_request]}}', { event: 'pull_request' }, false],
  ['ref tag glob', 'when: {ref: "refs/tags/*"}', { ref: 'refs/tags/v1.0.0', event: 'tag' }, true],
  ['ref list rejects', 'when: {ref: [refs/heads/main, "refs/tags/*"]}', { ref: 'refs/heads/dev' }, false],
  ['pull request ref glob', 'when: {ref: "refs/pull/*/head"}', { ref: 'refs/pull/12/head' }, true],
  ['pull request ref with **', 'when: {ref: "refs/pull/**"}', { ref: 'refs/pull/12/head' }, true],
  ['repo glob matches', 'when: {repo: "octocat/*"}', {}, true],
  ['repo glob rejects', 'when: {repo: "octocat/*"}', { repo: 'other/hello' }, false],
  ['instance matches', 'when: {instance: drone.example.com}', {}, true],
  ['instance rejects steps but not triggers', 'when: {instance: ci.example.com}', {}, false, true],
  ['instance exclude is ignored by triggers', 'when: {instance: {exclude: ["drone.*"]}}', {}, false, true],
  ['target matches', 'when: {target: production}', { event: 'promote', target: 'production' }, true],
  ['target rejects an empty target', 'when: {target: production}', {}, false],
  ['action matches', 'when: {action: [opened, synchronized]}', { action: 'opened' }, true],
  ['action rejects', 'when: {action: opened}', { action: 'closed' }, false],
  ['fields are ANDed (all match)', 'when: {branch: main, event: push}', {}, true],
  ['fields are ANDed (one fails)', 'when: {branch: main, event: push}', { event: 'tag' }, false],
  ['status does not take part in matching', 'when: {status: failure}', {}, true],
  ['paths are never evaluated', 'when: {paths: ["docs/**"]}', {}, true],
  ['paths exclude is never evaluated', 'when: {paths: {exclude: ["**"]}}', {}, true],
  ['misspelled include key gives an empty condition', 'when: {branch: {includes: [main]}}', { branch: 'dev' }, true],
  ['scalar include is ignored (Go type error swallowed)', 'when: {branch: {include: main}}', { branch: 'dev' }, true],
  ['scalar exclude is ignored', 'when: {branch: {exclude: main}}', {}, true],
  ['a number is a string pattern', 'when: {branch: 123}', { branch: '123' }, true],
  ['a boolean is its text', 'when: {branch: true}', { branch: 'true' }, true],
  ['a YAML 1.1 yes stays its text', 'when: {branch: yes}', { branch: 'yes' }, true],
  ['a null field matches everything', 'when: {branch: ~}', { branch: 'x' }, true],
  ['a null list item is an empty pattern', 'when: {branch: [main, ~]}', { branch: '' }, true],
  ['a nested list item is dropped', 'when: {branch: [main, [x]]}', { branch: 'x' }, false],
  ['a map item is dropped', 'when: {branch: [main, {a: b}]}', {}, true],
  ['unknown condition keys are ignored', 'when: {weather: sunny}', {}, true],
  ['merge keys apply', 'defaults: &d {branch: [main]}\nwhen:\n  <<: *d\n  event: push', { branch: 'dev' }, false],
  ['merge keys are overridden by later keys', 'defaults: &d {branch: [dev]}\nwhen:\n  <<: *d\n  branch: main', {}, true],
  ['quoted patterns', 'when: {branch: "main"}', {}, true],
  ['trailing slash in a pattern is dropped', 'when: {branch: "main/"}', {}, true],
  ['cron exclude with a non-cron build', 'when: {cron: {exclude: [nightly]}}', {}, true],
];

describe('when / trigger table', () => {
  for (const [name, yaml, values, step, trigger] of cases) {
    it(name, () => {
      const when = conditions(yaml);
      const input = { ...base, ...values };
      expect(stepConditionsMatch(when, input)).toBe(step);
      expect(triggerMatches(when, input)).toBe(trigger ?? step);
    });
  }

  it('has at least 60 cases', () => expect(cases.length).toBeGreaterThanOrEqual(60));
});

describe('status', () => {
  const policies: Array<[string, string]> = [
    ['when: {}', 'on-success'],
    ['when: {status: success}', 'on-success'],
    ['when: {status: failure}', 'on-failure'],
    ['when: {status: [success, failure]}', 'always'],
    ['when: {status: "*"}', 'always'],
    ['when: {status: {exclude: [failure]}}', 'on-success'],
    ['when: {status: {exclude: [success]}}', 'on-failure'],
    ['when: {status: [changed]}', 'on-success'],
  ];
  for (const [yaml, policy] of policies) {
    it(`${yaml} → run policy ${policy}`, () => expect(runPolicyOf(conditions(yaml).status)).toBe(policy));
  }

  const flags: Array<[string, boolean, boolean]> = [
    ['when: {}', true, false],
    ['when: {status: failure}', false, true],
    ['when: {status: [success, failure]}', true, true],
    ['when: {status: {exclude: [success]}}', false, true],
    ['when: {status: {exclude: [failure]}}', true, false],
  ];
  for (const [yaml, onSuccess, onFailure] of flags) {
    it(`trigger ${yaml} → on_success ${onSuccess}, on_failure ${onFailure}`, () => {
      expect(stageRunFlags(conditions(yaml).status)).toEqual({ on_success: onSuccess, on_failure: onFailure });
    });
  }
});
