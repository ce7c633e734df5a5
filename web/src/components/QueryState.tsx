// A query's data, or its loading state, or its error message.

import type { ReactNode } from 'react';
import { ErrorMessage } from './ErrorMessage';

interface Props<T> {
  query: { data: T | undefined; error: unknown; isPending: boolean };
  children: (data: T) => ReactNode;
  what?: string;
}

export function QueryState<T>({ query, children, what = 'Loading…' }: Props<T>) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.error) return <ErrorMessage error={query.error} />;
  return (
    <p className="loading" role="status">
      {what}
    </p>
  );
}
