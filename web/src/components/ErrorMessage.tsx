// What went wrong, in the API's words: every page shows this instead of a blank screen. A page the API
// refuses for want of a signed-in user (a private repository opened from a link) also offers to sign in.

import { Link } from 'react-router';
import { ApiError } from '../api/client';

export function errorText(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  const signIn = title === undefined && error instanceof ApiError && error.status === 401;
  return (
    <div className="error-message" role="alert">
      <strong>{title ?? (signIn ? 'Sign in to see this page' : 'Something went wrong')}</strong>
      <p>
        {errorText(error)}
        {signIn ? (
          <>
            {' '}
            <Link to="/welcome">Sign in</Link>
          </>
        ) : null}
      </p>
    </div>
  );
}
