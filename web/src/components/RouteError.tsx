// A page that failed to render, or an address that is no page: a message, never a blank screen.

import { Link, isRouteErrorResponse, useRouteError } from 'react-router';
import { ErrorMessage } from './ErrorMessage';

export function RouteError() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main id="main" className="page">
      <ErrorMessage title={notFound ? 'Page not found' : 'This page failed'} error={notFound ? new Error('There is no page at this address.') : error} />
      <p>
        <Link to="/">Back to the repositories</Link>
      </p>
    </main>
  );
}
