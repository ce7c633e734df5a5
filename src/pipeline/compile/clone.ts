// The git commands of the exec runner's clone step (runner-go clone.Commands): a tag is fetched and
// checked out detached, a pull request is merged onto its target branch, anything else checks out the
// commit as the target branch.

export interface CloneArgs {
  branch: string;
  commit: string;
  ref: string;
  remote: string;
  depth?: number;
}

export function cloneCommands(args: CloneArgs): string[] {
  const flags = args.depth && args.depth > 0 ? `--depth=${args.depth}` : '';
  const init = ['git init', `git remote add origin ${args.remote}`];
  if (args.ref.startsWith('refs/tags/')) {
    return [...init, `git fetch ${flags} origin +${args.ref}:`, 'git checkout -qf FETCH_HEAD'];
  }
  if (isPullRequestRef(args.ref)) {
    return [
      ...init,
      `git fetch ${flags} origin +refs/heads/${args.branch}:`,
      `git checkout ${args.branch}`,
      `git fetch origin ${args.ref}:`,
      `git merge  ${args.commit}`,
    ];
  }
  return [...init, `git fetch ${flags} origin +refs/heads/${args.branch}:`, `git checkout ${args.commit} -b ${args.branch}`];
}

export function isPullRequestRef(ref: string): boolean {
  return ref.startsWith('refs/pull/') || ref.startsWith('refs/pull-requests/') || ref.startsWith('refs/merge-requests/');
}
