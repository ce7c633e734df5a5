// The Go text/template subset behind `--format`: drone's own default templates render as Go renders them,
// with drone-go's field names resolved against the server's JSON.

import { describe, expect, it } from 'vitest';
import { snakeCase } from '../../../src/cli/commands/go-fields.js';
import { parseGoTemplate } from '../../../src/cli/commands/go-template.js';
import { recorded } from './support/stub-api.js';

const render = (template: string, data: unknown) => parseGoTemplate(template).render(data);

describe('--format templates', () => {
  it("renders drone's build template, with its {{ if }} around the author's e-mail", () => {
    const template = 'Author: {{ .Author }} {{ if .AuthorEmail }}<{{.AuthorEmail}}>{{ end }}';
    expect(render(template, recorded('build'))).toBe('Author: octocat <octocat@github.com>');
    expect(render(template, { author_login: 'bot', author_email: '' })).toBe('Author: bot ');
  });

  it("renders drone's cron template: trim markers, a pipe to time, a block that is left out", () => {
    const template = '{{ .Name }}\nExpr: {{ .Expr }}\nNext: {{ .Next | time }}\n{{- if .Disabled }}\nDisabled: true\n{{- end }}\n';
    expect(render(template, recorded('cron'))).toBe('every-10-minutes\nExpr: 0 */5 * * * *\nNext: 2018-09-20 17:15:00 +0000 UTC\n');
    expect(render(template, { ...(recorded('cron') as object), disabled: true })).toContain('UTC\nDisabled: true\n');
  });

  it('maps drone-go names whose JSON key differs: HTTPURL, Config, Branch, CancelPush, Avatar, and a Line\'s Number/Message', () => {
    const repo = recorded('repo');
    expect(render('{{ .HTTPURL }} {{ .SSHURL }} {{ .Config }} {{ .Branch }}', repo)).toBe(
      'https://github.com/octocat/hello-world.git git@github.com:octocat/hello-world.git .drone.yml master',
    );
    expect(render('{{ .CancelPush }}/{{ .CancelRunning }}', { auto_cancel_pushes: true, auto_cancel_running: false })).toBe('true/false');
    expect(render('{{ .Avatar }}', recorded('user'))).toBe('https://avatars1.githubusercontent.com/u/817538?v=4');
    expect(render('{{ .Number }}: {{ .Message }}', { pos: 3, out: 'hello', time: 1 })).toBe('3: hello');
  });

  it('reads nested fields, ranges over lists with {{ else }} for none, and accepts the JSON key itself', () => {
    const repo = { slug: 'o/n', build: { number: 7, stages: [{ name: 'a' }, { name: 'b' }] } };
    expect(render('{{ .Slug }}#{{ .Build.Number }}: {{ range .Build.Stages }}[{{ .Name }}]{{ end }}', repo)).toBe('o/n#7: [a][b]');
    expect(render('{{ range .Stages }}x{{ else }}none{{ end }}', { stages: [] })).toBe('none');
    expect(render('{{ .author_login }}', recorded('build'))).toBe('octocat');
  });

  it('has eq, ne, not, upper, lower, len, json; and \\n, \\t typed in a shell become newline and tab', () => {
    const build = recorded('build');
    expect(render('{{ if eq .Status "success" }}ok{{ end }}{{ if ne .Event "push" }}!{{ end }}{{ if not .Error }}.{{ end }}', build)).toBe('ok.');
    expect(render('{{ .Status | upper }} {{ upper .Event }} {{ len .Stages }}', { ...(build as object), stages: [{}, {}] })).toBe('SUCCESS PUSH 2');
    expect(render('{{ .Params | json }}\\t{{ .Number }}\\n', { params: { A: '1' }, number: 2 })).toBe('{"A":"1"}\t2\n');
  });

  it('chooses among {{ if }}, {{ else if }} and {{ else }}', () => {
    const template = '{{ if eq .Status "success" }}✓{{ else if eq .Status "running" }}…{{ else }}✗{{ end }}';
    expect(['success', 'running', 'failure'].map((status) => render(template, { status }))).toEqual(['✓', '…', '✗']);
  });

  it('prints nothing for a field the answer lacks, as Go prints a zero-valued omitempty field', () => {
    expect(render('[{{ .Error }}][{{ .Build.Number }}]', { status: 'success' })).toBe('[][]');
  });

  it.each(['{{ .Number', '{{ if .Number }}open', '{{ end }}', '{{ .Number | nosuch }}', '{{ }}', '{{ .Number .Status }}', '{{ .Number | .Status }}', '{{ .Number | }}'])(
    'rejects %j when parsing, before any request',
    (template) => {
      expect(() => parseGoTemplate(template)).toThrow(/invalid --format|unknown function/);
    },
  );
});

describe('drone-go field names', () => {
  // Every field the drone CLI's own templates read (research/drone-clients.md §2.4), against Drone's JSON.
  const stage = (recorded('build') as { stages: unknown[] }).stages[0];
  const secret = { name: 'docker_password', pull_request: true, pull_request_push: false };
  it.each([
    ['build', recorded('build'), 'Number Status Event After Target Ref Author AuthorEmail Message Created Started Updated', 'number status event after target ref author_login author_email message created started updated'],
    ['repo', recorded('repo'), 'Slug Namespace Name Config Visibility Private Trusted Protected HTTPURL', 'slug namespace name config_path visibility private trusted protected git_http_url'],
    ['user', recorded('user'), 'Login Email Admin Active Machine', 'login email admin active machine'],
    ['secret', secret, 'Name PullRequest PullRequestPush', 'name pull_request pull_request_push'],
    ['cron', recorded('cron'), 'Name Expr Next Disabled', 'name expr next disabled'],
    ['queue stage', stage, 'ID Status Machine OS Arch', 'id status machine os arch'],
  ])('%s', (_type, item, fields, keys) => {
    const record = item as Record<string, unknown>;
    const rendered = render(fields.split(' ').map((f) => `{{ .${f} }}`).join('|'), item);
    expect(rendered).toBe(keys.split(' ').map((key) => String(record[key])).join('|'));
  });

  it.each([
    ['AuthorEmail', 'author_email'],
    ['RepoID', 'repo_id'],
    ['StageOS', 'stage_os'],
    ['PullRequestPush', 'pull_request_push'],
    ['ID', 'id'],
    ['LastLogin', 'last_login'],
  ])('%s → %s', (name, key) => {
    expect(snakeCase(name)).toBe(key);
  });
});
