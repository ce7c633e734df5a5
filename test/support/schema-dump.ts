// A text dump of a database's schema, to compare two databases or one before and after a step.

import { sql, type Kysely } from 'kysely';

import type { Dialect } from '../../src/store/dialect.js';
import type { Database } from '../../src/store/schema.js';

export interface SchemaObject {
  kind: string;
  table: string;
  name: string;
  definition: string;
}

export async function dumpSchema(db: Kysely<Database>, dialect: Dialect): Promise<SchemaObject[]> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<{ type: string; name: string; tbl_name: string; sql: string | null }>`
      select type, name, tbl_name, sql from sqlite_master order by type, name`.execute(db);
    return rows.map((r) => ({ kind: r.type, table: r.tbl_name, name: r.name, definition: r.sql ?? '' }));
  }
  const columns = await sql<{ table_name: string; column_name: string; definition: string }>`
    select table_name, column_name,
      concat_ws(' ', data_type, character_maximum_length, is_nullable, column_default) as definition
    from information_schema.columns where table_schema = 'public'
    order by table_name, ordinal_position`.execute(db);
  const indexes = await sql<{ tablename: string; indexname: string; indexdef: string }>`
    select tablename, indexname, indexdef from pg_indexes where schemaname = 'public'
    order by tablename, indexname`.execute(db);
  const constraints = await sql<{ table_name: string; conname: string; definition: string }>`
    select rel.relname as table_name, con.conname, pg_get_constraintdef(con.oid) as definition
    from pg_constraint con join pg_class rel on rel.oid = con.conrelid
    join pg_namespace ns on ns.oid = rel.relnamespace where ns.nspname = 'public'
    order by rel.relname, con.conname`.execute(db);
  return [
    ...columns.rows.map((r) => ({ kind: 'column', table: r.table_name, name: r.column_name, definition: r.definition })),
    ...indexes.rows.map((r) => ({ kind: 'index', table: r.tablename, name: r.indexname, definition: r.indexdef })),
    ...constraints.rows.map((r) => ({ kind: 'constraint', table: r.table_name, name: r.conname, definition: r.definition })),
  ];
}
