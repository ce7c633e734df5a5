// Create and delete for a repository's named collections (secrets, crons): POST {path}, DELETE {path}/{name},
// then the list is read again.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export function useCollectionChanges<T>(path: string, queryKey: readonly unknown[]) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey });
  const create = useMutation({ mutationFn: (item: T) => api<unknown>(path, { method: 'POST', body: item }), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (name: string) => api<unknown>(`${path}/${encodeURIComponent(name)}`, { method: 'DELETE' }), onSuccess: refresh });
  return { create, remove };
}
