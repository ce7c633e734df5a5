// /welcome: sign in. With an SCM, through the server's /login; with only the local git provider, with an
// API token (the demo prints one), checked against GET /api/user before it is kept.

import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { api } from '../api/client';
import { loginMode, loginProvider } from '../api/login-mode';
import { keys, useViewer } from '../api/queries';
import { forgetToken, storeToken } from '../api/token';
import type { User } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { useTitle } from '../components/Title';

export function WelcomePage() {
  useTitle('Welcome');
  const viewer = useViewer();
  if (viewer.data) return <Navigate to="/" replace />;
  return (
    <div className="page welcome">
      <h1>Welcome to Hangar</h1>
      <p>A continuous-integration server compatible with Drone: the same <code>.drone.yml</code>, the same runners, the same API.</p>
      {viewer.error ? <ErrorMessage error={viewer.error} /> : null}
      {loginMode() === 'token' ? <TokenForm /> : <ScmLogin />}
    </div>
  );
}

function ScmLogin() {
  return (
    <a className="button primary" href="/login">
      Sign in with {loginProvider()}
    </a>
  );
}

function TokenForm() {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const client = useQueryClient();
  const navigate = useNavigate();

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    storeToken(token.trim());
    try {
      client.setQueryData(keys.user, await api<User>('/user'));
      await navigate('/');
    } catch (err) {
      forgetToken();
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={signIn}>
      <h2>Sign in with an API token</h2>
      <p className="hint">
        This server has no source-code host to sign in with. Use your API token: the one <code>npm start</code> prints, or the <code>token:</code> of{' '}
        <code>DRONE_USER_CREATE</code>.
      </p>
      {error ? <ErrorMessage title="Sign-in failed" error={error} /> : null}
      <label>
        API token
        <input type="password" name="token" autoComplete="current-password" required value={token} onChange={(e) => setToken(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}
