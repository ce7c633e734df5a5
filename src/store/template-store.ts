// Templates in Drone's `templates` table (research/drone-schema.md): the data as bytes, times in Unix
// seconds. SQLite compares namespace and name without case (Drone's NOCASE columns), PostgreSQL exactly.

import type { Kysely, Selectable } from 'kysely';
import type { TemplateStore } from '../core/store.js';
import type { Template } from '../core/types.js';
import { isUniqueViolation } from './dialect.js';
import { toBytes, toNumber, toText } from './rows.js';
import type { Database, TemplatesTable } from './schema.js';

type TemplateRow = Selectable<TemplatesTable>;

export function createTemplateStore(db: Kysely<Database>): TemplateStore {
  const find = async (namespace: string, name: string): Promise<Template | undefined> => {
    const row = await db
      .selectFrom('templates')
      .selectAll()
      .where('template_namespace', '=', namespace)
      .where('template_name', '=', name)
      .executeTakeFirst();
    return row && rowToTemplate(row);
  };

  return {
    async listAll() {
      const rows = await db.selectFrom('templates').selectAll().orderBy('template_namespace').orderBy('template_name').execute();
      return rows.map(rowToTemplate);
    },

    async list(namespace) {
      const rows = await db.selectFrom('templates').selectAll().where('template_namespace', '=', namespace).orderBy('template_name').execute();
      return rows.map(rowToTemplate);
    },

    find,

    async create(template) {
      const now = nowSeconds();
      const row = await db
        .insertInto('templates')
        .values({
          template_namespace: template.namespace,
          template_name: template.name,
          template_data: Buffer.from(template.data, 'utf8'),
          template_created: now,
          template_updated: now,
        })
        .onConflict((oc) => oc.doNothing())
        .returningAll()
        .executeTakeFirst();
      return row && rowToTemplate(row);
    },

    async update(namespace, name, patch) {
      try {
        const row = await db
          .updateTable('templates')
          .set({
            ...(patch.data !== undefined ? { template_data: Buffer.from(patch.data, 'utf8') } : {}),
            ...(patch.namespace !== undefined ? { template_namespace: patch.namespace } : {}),
            template_updated: nowSeconds(),
          })
          .where('template_namespace', '=', namespace)
          .where('template_name', '=', name)
          .returningAll()
          .executeTakeFirst();
        return row && rowToTemplate(row);
      } catch (err) {
        // Moved into a namespace that already has a template of this name.
        if (isUniqueViolation(err)) return 'conflict';
        throw err;
      }
    },

    async delete(namespace, name) {
      const result = await db
        .deleteFrom('templates')
        .where('template_namespace', '=', namespace)
        .where('template_name', '=', name)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

function rowToTemplate(row: TemplateRow): Template {
  return {
    id: toNumber(row.template_id),
    name: toText(row.template_name),
    namespace: toText(row.template_namespace),
    data: toBytes(row.template_data).toString('utf8'),
    created: toNumber(row.template_created),
    updated: toNumber(row.template_updated),
  };
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
