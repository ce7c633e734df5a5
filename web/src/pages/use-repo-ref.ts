// The repository and build numbers of the current address (/{owner}/{name}/{build}/{stage}/{step}).

import { useParams } from 'react-router';
import type { RepoRef } from '../api/paths';

export function useRepoRef(): RepoRef {
  const { owner = '', name = '' } = useParams();
  return { owner, name };
}

/** A positive whole number from the address, else undefined (the page then says it does not exist). */
export function useNumberParam(key: 'build' | 'stage' | 'step'): number | undefined {
  const value = Number(useParams()[key]);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}
