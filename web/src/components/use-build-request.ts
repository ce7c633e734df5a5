// A form's request that answers with a new build (create, restart, promote, rollback): while it runs it is
// busy, a refusal keeps the API's message, and success opens the new build.

import { useState } from 'react';
import { useNavigate } from 'react-router';
import { type RepoRef, buildPage } from '../api/paths';
import type { Build } from '../api/types';

export function useBuildRequest(repo: RepoRef) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();

  async function run(request: () => Promise<Build>, done?: () => void): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const build = await request();
      done?.();
      await navigate(buildPage(repo, build.number));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return { run, error, busy };
}
