// What every page address answers when the web UI was not built (a checkout without `npm run build`).

import { VERSION } from '../../version.js';
import { htmlPage } from './pages.js';

export function notBuiltPage(): string {
  return htmlPage(
    `Hangar ${VERSION}`,
    '<p>The web UI is not built on this server: run <code>npm run build</code> (which <code>npm ci</code> runs) and restart it.</p><p>The API answers at <code>/api</code> and runners connect at <code>/rpc/v2</code>.</p><p>Health: <a href="/healthz">/healthz</a> · Version: <a href="/version">/version</a></p>',
  );
}
