// Repository secrets for the API, and the decrypted secrets a runner gets with its stage.

import type { Kysely } from 'kysely';
import type { SecretStore } from '../core/store.js';
import type { Repo, Secret } from '../core/types.js';
import type { Encrypter } from './encrypt.js';
import type { Database } from './schema.js';
import { createSecret, decryptRunnerSecrets, deleteSecret, findSecret, listSecrets, secretsForEvent, updateSecret } from './secrets.js';

export function createSecretStore(db: Kysely<Database>, encrypter: Encrypter): SecretStore {
  return {
    listRepo: (repoId) => listSecrets(db, repoId),
    findRepo: (repoId, name) => findSecret(db, repoId, name),
    createRepo: (repoId, secret) => createSecret(db, encrypter, repoId, secret),
    async updateRepo(repoId, name, patch) {
      if (!(await updateSecret(db, encrypter, repoId, name, patch))) return undefined;
      return findSecret(db, repoId, name);
    },
    deleteRepo: (repoId, name) => deleteSecret(db, repoId, name),

    /** Repo secrets plus the namespace's org secrets; a pull request only gets those allowed for it. */
    async forRunner(repo: Repo, event: string): Promise<Secret[]> {
      return secretsForEvent(await decryptRunnerSecrets(db, encrypter, repo.id, repo.namespace), event);
    },
  };
}
