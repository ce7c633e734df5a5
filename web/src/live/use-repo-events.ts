// Live builds of one repository (GET /api/stream/{owner}/{name}), or of every repository the viewer may
// see (GET /api/stream): each event is a repository with its changed build, patched into the cached
// build, build list and repository list, so pages update without a reload.

import { useRef } from 'react';
import { type InfiniteData, type QueryClient, useQueryClient } from '@tanstack/react-query';
import type { RepoRef } from '../api/paths';
import { keys } from '../api/queries';
import type { Build, Repo } from '../api/types';
import { useEventSource } from './event-source';

export function useRepoEvents(repo: RepoRef | null): void {
  const client = useQueryClient();
  const path = repo ? `/stream/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}` : '/stream';
  const opened = useRef(false);
  useEventSource(
    path,
    {
      onMessage: (data) => applyEvent(client, JSON.parse(data) as Repo),
      // Events sent while the stream was down are lost: read again what a reopened stream may have missed.
      onOpen: () => {
        if (opened.current) void client.invalidateQueries({ predicate: (query) => ['build', 'builds', 'repos'].includes(String(query.queryKey[0])) });
        opened.current = true;
      },
    },
    { closeOnEnd: false },
  );
}

function applyEvent(client: QueryClient, repo: Repo): void {
  const build = repo.build;
  if (!build) return;
  const ref = { owner: repo.namespace, name: repo.name };
  if (build.stages) client.setQueryData(keys.build(ref, build.number), build);
  else void client.invalidateQueries({ queryKey: keys.build(ref, build.number) });
  client.setQueryData<InfiniteData<Build[]>>(keys.builds(ref), (data) => data && { ...data, pages: withBuild(data.pages, build) });
  client.setQueryData<Repo[]>(keys.repos, (repos) => repos?.map((r) => (r.id === repo.id ? { ...r, build } : r)));
}

/** The pages with `build` replaced where it is, or first on the first page when it is new. */
function withBuild(pages: Build[][], build: Build): Build[][] {
  const known = pages.some((page) => page.some((b) => b.id === build.id));
  if (known) return pages.map((page) => page.map((b) => (b.id === build.id ? { ...b, ...build } : b)));
  const [first = [], ...rest] = pages;
  return [[build, ...first], ...rest];
}
