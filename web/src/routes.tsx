// Drone's addresses (research/drone-ui-reference.md), so links in commit statuses, badges and bookmarks
// keep working after a switch. The server answers each of them with this app (src/server/web/ui.ts).

import { type RouteObject } from 'react-router';
import { Layout } from './components/Layout';
import { RouteError } from './components/RouteError';
import { AccountPage } from './pages/AccountPage';
import { BuildListPage } from './pages/BuildListPage';
import { BuildPage } from './pages/BuildPage';
import { ClusterPage } from './pages/ClusterPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { RepoListPage } from './pages/RepoListPage';
import { RequireViewer } from './pages/RequireViewer';
import { UsersPage } from './pages/UsersPage';
import { WelcomePage } from './pages/WelcomePage';
import { BadgeSettings } from './pages/settings/BadgeSettings';
import { CronSettings } from './pages/settings/CronSettings';
import { GeneralSettings } from './pages/settings/GeneralSettings';
import { SecretsSettings } from './pages/settings/SecretsSettings';
import { SettingsLayout } from './pages/settings/SettingsLayout';

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { path: '/', element: <RequireViewer><RepoListPage /></RequireViewer> },
      { path: '/welcome', element: <WelcomePage /> },
      { path: '/account', element: <RequireViewer><AccountPage /></RequireViewer> },
      { path: '/settings/users', element: <RequireViewer><UsersPage /></RequireViewer> },
      { path: '/settings/cluster', element: <RequireViewer><ClusterPage /></RequireViewer> },
      { path: '/:owner/:name', element: <BuildListPage /> },
      {
        path: '/:owner/:name/settings',
        element: <SettingsLayout />,
        children: [
          { index: true, element: <GeneralSettings /> },
          { path: 'secrets', element: <SecretsSettings /> },
          { path: 'cron', element: <CronSettings /> },
          { path: 'badges', element: <BadgeSettings /> },
        ],
      },
      { path: '/:owner/:name/:build', element: <BuildPage /> },
      { path: '/:owner/:name/:build/:stage/:step', element: <BuildPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
