// Repository secrets (`secrets`) and organisation secrets (`orgsecrets`), encrypted as Drone encrypts
// them. Values leave this module only through the `decrypt…` reads, which exist for runner details;
// every other read returns secrets without their data.

import { sql, type Kysely, type RawBuilder } from 'kysely';

import type { Secret } from '../core/types.js';
import type { Dialect } from './dialect.js';
import type { Encrypter } from './encrypt.js';
import { queryShape } from './query-shape.js';
import { jsonAggregate, type OrgSecretRow, type SecretRow, rowToOrgSecret, rowToSecret, toText } from './rows.js';
import type { Database } from './schema.js';

export interface NewSecret {
  name: string;
  data: string;
  pull_request?: boolean;
  pull_request_push?: boolean;
}

export interface SecretChanges {
  data?: string;
  pull_request?: boolean;
  pull_request_push?: boolean;
}

const SECRET_COLUMNS = ['secret_id', 'secret_repo_id', 'secret_name', 'secret_pull_request', 'secret_pull_request_push'] as const;
const ORG_SECRET_COLUMNS = [
  'secret_id',
  'secret_namespace',
  'secret_name',
  'secret_type',
  'secret_pull_request',
  'secret_pull_request_push',
] as const;

/** The columns an update changes; the value is encrypted. Both secret tables share these column names. */
function changedColumns(encrypter: Encrypter, changes: SecretChanges) {
  return {
    ...(changes.data !== undefined ? { secret_data: encrypter.encrypt(changes.data) } : {}),
    ...(changes.pull_request !== undefined ? { secret_pull_request: changes.pull_request } : {}),
    ...(changes.pull_request_push !== undefined ? { secret_pull_request_push: changes.pull_request_push } : {}),
  };
}

// ---- repository secrets -------------------------------------------------------------------------------

export async function createSecret(
  db: Kysely<Database>,
  encrypter: Encrypter,
  repoId: number,
  input: NewSecret,
): Promise<Secret> {
  const row = await db
    .insertInto('secrets')
    .values({
      secret_repo_id: repoId,
      secret_name: input.name,
      secret_data: encrypter.encrypt(input.data),
      secret_pull_request: input.pull_request ?? false,
      secret_pull_request_push: input.pull_request_push ?? false,
    })
    .returning(SECRET_COLUMNS)
    .executeTakeFirstOrThrow();
  return rowToSecret(row);
}

export async function listSecrets(db: Kysely<Database>, repoId: number): Promise<Secret[]> {
  const rows = await db
    .selectFrom('secrets')
    .select(SECRET_COLUMNS)
    .where('secret_repo_id', '=', repoId)
    .orderBy('secret_name')
    .execute();
  return rows.map(rowToSecret);
}

export async function findSecret(db: Kysely<Database>, repoId: number, name: string): Promise<Secret | undefined> {
  const row = await db
    .selectFrom('secrets')
    .select(SECRET_COLUMNS)
    .where('secret_repo_id', '=', repoId)
    .where('secret_name', '=', name)
    .executeTakeFirst();
  return row && rowToSecret(row);
}

/** Changes the given fields of a repo secret; false when it does not exist (an empty patch only looks). */
export async function updateSecret(
  db: Kysely<Database>,
  encrypter: Encrypter,
  repoId: number,
  name: string,
  changes: SecretChanges,
): Promise<boolean> {
  const columns = changedColumns(encrypter, changes);
  if (Object.keys(columns).length === 0) return (await findSecret(db, repoId, name)) !== undefined;
  const result = await db
    .updateTable('secrets')
    .set(columns)
    .where('secret_repo_id', '=', repoId)
    .where('secret_name', '=', name)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteSecret(db: Kysely<Database>, repoId: number, name: string): Promise<boolean> {
  const result = await db
    .deleteFrom('secrets')
    .where('secret_repo_id', '=', repoId)
    .where('secret_name', '=', name)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ---- organisation secrets -----------------------------------------------------------------------------

/** Undefined when the namespace already has a secret of that name. */
export async function createOrgSecret(
  db: Kysely<Database>,
  encrypter: Encrypter,
  namespace: string,
  input: NewSecret & { type?: string },
): Promise<Secret | undefined> {
  const row = await db
    .insertInto('orgsecrets')
    .values({
      secret_namespace: namespace,
      secret_name: input.name,
      secret_type: input.type ?? '',
      secret_data: encrypter.encrypt(input.data),
      secret_pull_request: input.pull_request ?? false,
      secret_pull_request_push: input.pull_request_push ?? false,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(ORG_SECRET_COLUMNS)
    .executeTakeFirst();
  return row && rowToOrgSecret(row);
}

/** Every namespace's secrets, ordered by namespace and name. */
export async function listAllOrgSecrets(db: Kysely<Database>): Promise<Secret[]> {
  const rows = await db.selectFrom('orgsecrets').select(ORG_SECRET_COLUMNS).orderBy('secret_namespace').orderBy('secret_name').execute();
  return rows.map(rowToOrgSecret);
}

export async function findOrgSecret(db: Kysely<Database>, namespace: string, name: string): Promise<Secret | undefined> {
  const row = await db
    .selectFrom('orgsecrets')
    .select(ORG_SECRET_COLUMNS)
    .where('secret_namespace', '=', namespace)
    .where('secret_name', '=', name)
    .executeTakeFirst();
  return row && rowToOrgSecret(row);
}

/** Changes the given fields of an org secret; false when it does not exist. */
export async function updateOrgSecret(
  db: Kysely<Database>,
  encrypter: Encrypter,
  namespace: string,
  name: string,
  changes: SecretChanges,
): Promise<boolean> {
  const columns = changedColumns(encrypter, changes);
  if (Object.keys(columns).length === 0) return (await findOrgSecret(db, namespace, name)) !== undefined;
  const result = await db
    .updateTable('orgsecrets')
    .set(columns)
    .where('secret_namespace', '=', namespace)
    .where('secret_name', '=', name)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteOrgSecret(db: Kysely<Database>, namespace: string, name: string): Promise<boolean> {
  const result = await db
    .deleteFrom('orgsecrets')
    .where('secret_namespace', '=', namespace)
    .where('secret_name', '=', name)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Case-insensitive namespace on SQLite (Drone's NOCASE column), exact on PostgreSQL. */
export async function listOrgSecrets(db: Kysely<Database>, namespace: string): Promise<Secret[]> {
  const rows = await db
    .selectFrom('orgsecrets')
    .select(ORG_SECRET_COLUMNS)
    .where('secret_namespace', '=', namespace)
    .orderBy('secret_name')
    .execute();
  return rows.map(rowToOrgSecret);
}

// ---- a runner's secrets --------------------------------------------------------------------------------

// The repository's secrets and its namespace's org secrets as two JSON columns, each aggregated in its own
// table's name order (on SQLite the org secret names sort NOCASE and the repo secret names do not), the
// encrypted value in hex. Selected on their own, or inside the statement that reads a runner's stage.

/** The two columns for the repository `repoId` and namespace `namespace`: columns of the statement, or values. */
function runnerSecretJsonColumns(repoId: RawBuilder<unknown>, namespace: RawBuilder<unknown>, dialect: Dialect) {
  return [
    secretsJson('secrets', SECRET_COLUMNS, sql`${sql.ref('secrets.secret_repo_id')} = ${repoId}`, dialect).as('runner_repo_secrets'),
    secretsJson('orgsecrets', ORG_SECRET_COLUMNS, sql`${sql.ref('orgsecrets.secret_namespace')} = ${namespace}`, dialect).as('runner_org_secrets'),
  ] as const;
}

function secretsJson(table: 'secrets' | 'orgsecrets', columns: readonly string[], where: RawBuilder<unknown>, dialect: Dialect): RawBuilder<unknown> {
  const ref = (column: string) => sql.ref(`${table}.${column}`);
  const hex = dialect === 'postgres' ? sql`encode(${ref('secret_data')}, 'hex')` : sql`hex(${ref('secret_data')})`;
  const pairs = sql.join([...columns.map((column) => sql`${sql.lit(column)}, ${ref(column)}`), sql`${sql.lit('secret_data')}, ${hex}`]);
  const aggregate =
    dialect === 'postgres'
      ? sql`json_agg(json_build_object(${pairs}) order by ${ref('secret_name')})`
      : sql`json_group_array(json_object(${pairs}) order by ${ref('secret_name')})`;
  return sql<unknown>`(select ${aggregate} from ${sql.table(table)} where ${where})`;
}

/** The runner's secrets of the repository a statement reads from `repos` (a runner's stage details). */
export function runnerSecretColumns(dialect: Dialect) {
  return runnerSecretJsonColumns(sql.ref('repos.repo_id'), sql.ref('repos.repo_namespace'), dialect);
}

/** Reads `runnerSecretColumns`: the repo's secrets by name, then the namespace's, with their values. */
export function decryptRunnerSecretColumns(encrypter: Encrypter, repoSecrets: unknown, orgSecrets: unknown): Secret[] {
  const decrypt = (row: { secret_data?: unknown }) => encrypter.decrypt(Buffer.from(toText(row.secret_data), 'hex'));
  return [
    ...jsonAggregate<SecretRow>(repoSecrets).map((row) => ({ ...rowToSecret(row), data: decrypt(row) })),
    ...jsonAggregate<OrgSecretRow>(orgSecrets).map((row) => ({ ...rowToOrgSecret(row), data: decrypt(row) })),
  ];
}

const runnerSecretsOf = queryShape((db: Kysely<Database>, v: { repoId: number; namespace: string }, dialect) =>
  db.selectNoFrom(runnerSecretJsonColumns(sql`${v.repoId}`, sql`${v.namespace}`, dialect)),
);

/** A repo's secrets, then its namespace's org secrets, each by name, with their values, in one statement. */
export async function decryptRunnerSecrets(db: Kysely<Database>, encrypter: Encrypter, repoId: number, namespace: string): Promise<Secret[]> {
  const row = await runnerSecretsOf.one(db, { repoId, namespace });
  return decryptRunnerSecretColumns(encrypter, row.runner_repo_secrets, row.runner_org_secrets);
}

/** A pull request gets only the secrets allowed for pull requests (Drone's rule). */
export function secretsForEvent(secrets: Secret[], event: string): Secret[] {
  return event === 'pull_request' ? secrets.filter((secret) => secret.pull_request) : secrets;
}
