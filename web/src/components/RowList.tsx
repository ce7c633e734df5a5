// A bordered list of rows (repositories, builds), or a note when there is none.

import type { ReactNode } from 'react';

interface Props<T> {
  items: T[];
  label: string;
  empty: ReactNode;
  row: (item: T) => ReactNode;
  id: (item: T) => number;
}

export function RowList<T>({ items, label, empty, row, id }: Props<T>) {
  if (items.length === 0) return <p className="empty">{empty}</p>;
  return (
    <ul className="list" aria-label={label}>
      {items.map((item) => (
        <li key={id(item)}>{row(item)}</li>
      ))}
    </ul>
  );
}
