// Small text helpers for what builds carry.

export function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

export function shortSha(sha: string): string {
  return sha.slice(0, 8);
}

/** The branch or tag a build ran for, from its ref. */
export function refName(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

/** Where a build went: its deployment target for a promotion or rollback, else its branch or tag. */
export function destination(build: { deploy_to?: string; target: string; ref: string }): string {
  return build.deploy_to || refName(build.target || build.ref);
}
