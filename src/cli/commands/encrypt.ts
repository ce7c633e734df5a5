// `hangar encrypt <repo> <secret|@file>`: a secret encrypted with the repository's key, for an encrypted
// `kind: secret` document of .drone.yml.

import { Command } from 'commander';
import { repoPath } from '../client.js';
import { clientAction, dataArgument, required } from './action.js';
import { exitWithUsageCode } from './exit-codes.js';
import { type PullRequestOptions, secretBody, withPullRequestFlags } from './secret.js';

export function encryptCommand(): Command {
  const encrypt = withPullRequestFlags(new Command('encrypt').argument('<repo>').argument('<secret>', 'the value, or @file').description('encrypt a secret'));
  clientAction<PullRequestOptions>(encrypt, async (drone, [slug, secret], options) => {
    const body = secretBody(undefined, required(dataArgument(secret), 'secret'), options);
    const encrypted = await drone.post<{ data: string }>(`/api/repos/${repoPath(slug ?? '')}/encrypt/secret`, body);
    console.log(encrypted.data);
  });
  return exitWithUsageCode(encrypt);
}
