// Pages only a signed-in user has (the repository list, the account): a visitor goes to /welcome.

import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { useViewer } from '../api/queries';
import { QueryState } from '../components/QueryState';

export function RequireViewer({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  return <QueryState query={viewer}>{(user) => (user ? children : <Navigate to="/welcome" replace />)}</QueryState>;
}
