// The frame of every page: a top bar (it fits a 375-px phone) with the way home, the viewer and their
// account, and the page below it.

import { Link, Outlet } from 'react-router';
import { useViewer } from '../api/queries';

export function Layout() {
  const viewer = useViewer();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Hangar
        </Link>
        <nav aria-label="Account">
          {viewer.data?.admin ? <Link to="/settings/cluster">Cluster</Link> : null}
          {viewer.data?.admin ? <Link to="/settings/users">Users</Link> : null}
          {viewer.data ? (
            <Link to="/account" className="viewer">
              {viewer.data.avatar ? <img src={viewer.data.avatar} alt="" width={24} height={24} /> : null}
              <span>{viewer.data.login}</span>
            </Link>
          ) : viewer.data === null ? (
            <Link to="/welcome">Sign in</Link>
          ) : null}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
