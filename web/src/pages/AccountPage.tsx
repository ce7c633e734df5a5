// /account: the viewer's API token (POST /api/user/token answers the existing one), how to use it, and
// signing out (the stored token is forgotten and the server's /logout ends a cookie session).

import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useViewer } from '../api/queries';
import { forgetToken } from '../api/token';
import type { Token } from '../api/types';
import { QueryState } from '../components/QueryState';
import { useTitle } from '../components/Title';

export function AccountPage() {
  useTitle('Account');
  const viewer = useViewer();
  const token = useQuery({ queryKey: ['token'], queryFn: () => api<Token>('/user/token', { method: 'POST' }), staleTime: Number.POSITIVE_INFINITY });
  const server = window.location.origin;
  return (
    <div className="page">
      <div className="page-header">
        <h1>Account {viewer.data ? <span className="muted">{viewer.data.login}</span> : null}</h1>
        <a className="button" href="/logout" onClick={forgetToken}>
          Sign out
        </a>
      </div>
      <QueryState query={token}>
        {({ token: value }) => (
          <>
            <h2>Your API token</h2>
            <pre className="code" tabIndex={0}>{value}</pre>
            <h2>With the drone CLI or hangar</h2>
            <pre className="code" tabIndex={0}>{`export DRONE_SERVER=${server}\nexport DRONE_TOKEN=${value}\ndrone info`}</pre>
            <h2>With curl</h2>
            <pre className="code" tabIndex={0}>{`curl -H "Authorization: Bearer ${value}" ${server}/api/user`}</pre>
          </>
        )}
      </QueryState>
    </div>
  );
}
