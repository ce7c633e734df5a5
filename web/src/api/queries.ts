// What the pages read, with TanStack Query: one key per resource, so live events can patch the cache.

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError, api } from './client';
import { type RepoRef, buildPath, repoPath } from './paths';
import type { Build, Cron, Repo, Secret, User } from './types';

export const BUILDS_PER_PAGE = 50;

export const keys = {
  user: ['user'] as const,
  repos: ['repos'] as const,
  repo: (repo: RepoRef) => ['repo', repo.owner, repo.name] as const,
  builds: (repo: RepoRef) => ['builds', repo.owner, repo.name] as const,
  build: (repo: RepoRef, number: number) => ['build', repo.owner, repo.name, number] as const,
  secrets: (repo: RepoRef) => ['secrets', repo.owner, repo.name] as const,
  crons: (repo: RepoRef) => ['crons', repo.owner, repo.name] as const,
};

/** The signed-in user, or null for a visitor who is not signed in. */
export function useViewer() {
  return useQuery({
    queryKey: keys.user,
    queryFn: async () => {
      try {
        return await api<User>('/user');
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
}

export const useRepos = () => useQuery({ queryKey: keys.repos, queryFn: () => api<Repo[]>('/user/repos', { query: { latest: true } }) });

export const useRepo = (repo: RepoRef) => useQuery({ queryKey: keys.repo(repo), queryFn: () => api<Repo>(repoPath(repo)) });

export function useBuilds(repo: RepoRef) {
  return useInfiniteQuery({
    queryKey: keys.builds(repo),
    queryFn: ({ pageParam }) => api<Build[]>(`${repoPath(repo)}/builds`, { query: { page: pageParam, per_page: BUILDS_PER_PAGE } }),
    initialPageParam: 1,
    getNextPageParam: (last, pages) => (last.length < BUILDS_PER_PAGE ? undefined : pages.length + 1),
  });
}

export const useBuild = (repo: RepoRef, number: number) => useQuery({ queryKey: keys.build(repo, number), queryFn: () => api<Build>(buildPath(repo, number)) });

export const useSecrets = (repo: RepoRef) => useQuery({ queryKey: keys.secrets(repo), queryFn: () => api<Secret[]>(`${repoPath(repo)}/secrets`) });

export const useCrons = (repo: RepoRef) => useQuery({ queryKey: keys.crons(repo), queryFn: () => api<Cron[]>(`${repoPath(repo)}/cron`) });
