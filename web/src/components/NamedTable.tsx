// A table of named things (secrets, cron jobs, users) with a delete button on each row; while loading, or
// when reading or deleting failed, what the API said.

import type { ReactNode } from 'react';
import { ErrorMessage } from './ErrorMessage';
import { QueryState } from './QueryState';

interface Props<T> {
  query: { data: T[] | undefined; error: unknown; isPending: boolean };
  remove: { mutate: (name: string) => void; error: unknown };
  /** Column headings after "Name". */
  columns: string[];
  name: (item: T) => string;
  /** The cells after the name, one per column. */
  cells: (item: T) => ReactNode[];
  empty: string;
}

export function NamedTable<T>({ query, remove, ...table }: Props<T>) {
  return (
    <>
      {remove.error ? <ErrorMessage title="Could not delete it" error={remove.error} /> : null}
      <QueryState query={query}>{(items) => <Table items={items} onDelete={remove.mutate} {...table} />}</QueryState>
    </>
  );
}

type TableProps<T> = Omit<Props<T>, 'query' | 'remove'> & { items: T[]; onDelete: (name: string) => void };

function Table<T>({ items, columns, name, cells, onDelete, empty }: TableProps<T>) {
  if (items.length === 0) return <p className="empty">{empty}</p>;
  return (
    <table>
      <thead>
        <tr>
          {['Name', ...columns].map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={name(item)}>
            <td>{name(item)}</td>
            {cells(item).map((cell, index) => (
              <td key={columns[index]}>{cell}</td>
            ))}
            <td>
              <button type="button" className="danger" onClick={() => onDelete(name(item))}>
                Delete <span className="visually-hidden">{name(item)}</span>
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
