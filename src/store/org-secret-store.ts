// Organisation secrets for the API: every read is without the value (runners get values through
// SecretStore.forRunner). Values are encrypted as Drone encrypts them (encrypt.ts).

import type { Kysely } from 'kysely';
import type { OrgSecretStore } from '../core/store.js';
import type { Encrypter } from './encrypt.js';
import type { Database } from './schema.js';
import { createOrgSecret, deleteOrgSecret, findOrgSecret, listAllOrgSecrets, listOrgSecrets, updateOrgSecret } from './secrets.js';

export function createOrgSecretStore(db: Kysely<Database>, encrypter: Encrypter): OrgSecretStore {
  return {
    listAll: () => listAllOrgSecrets(db),
    list: (namespace) => listOrgSecrets(db, namespace),
    find: (namespace, name) => findOrgSecret(db, namespace, name),
    create: (namespace, secret) => createOrgSecret(db, encrypter, namespace, secret),
    async update(namespace, name, patch) {
      if (!(await updateOrgSecret(db, encrypter, namespace, name, patch))) return undefined;
      return findOrgSecret(db, namespace, name);
    },
    delete: (namespace, name) => deleteOrgSecret(db, namespace, name),
  };
}
