// The build page's two views: the log of a step, or the graph of stages and steps (?view=graph), kept as
// the visitor moves between steps.

import { Link, useLocation, useSearchParams } from 'react-router';

export type View = 'log' | 'graph';

/** Log view or graph view (?view=graph), kept as the visitor moves between steps. */
export function useView(): { view: View; query: string } {
  const [search] = useSearchParams();
  const view: View = search.get('view') === 'graph' ? 'graph' : 'log';
  return { view, query: view === 'graph' ? '?view=graph' : '' };
}

export function ViewToggle({ view }: { view: View }) {
  const { pathname } = useLocation();
  return (
    <nav className="view-toggle" aria-label="View">
      <Link to={pathname} aria-current={view === 'log'}>
        Log
      </Link>
      <Link to={`${pathname}?view=graph`} aria-current={view === 'graph'}>
        Graph
      </Link>
    </nav>
  );
}
