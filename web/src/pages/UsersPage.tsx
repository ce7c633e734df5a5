// /settings/users (admins): the users of this server; add one (a machine user gets a token for scripts),
// make or unmake an admin, delete one.

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import type { User } from '../api/types';
import { AddForm } from '../components/AddForm';
import { ErrorMessage } from '../components/ErrorMessage';
import { NamedTable } from '../components/NamedTable';
import { useTitle } from '../components/Title';
import { dateTime } from '../components/time';
import { useCollectionChanges } from './settings/use-collection';

const USERS_KEY = ['users'] as const;

type Draft = Pick<User, 'login' | 'email' | 'admin' | 'machine'>;
const EMPTY: Draft = { login: '', email: '', admin: false, machine: false };

export function UsersPage() {
  useTitle('Users');
  const users = useQuery({ queryKey: USERS_KEY, queryFn: () => api<User[]>('/users') });
  const { create, remove } = useCollectionChanges<Draft>('/users', USERS_KEY);
  const [draft, setDraft] = useState<Draft>(EMPTY);

  const add = () => create.mutate(draft, { onSuccess: () => setDraft(EMPTY) });

  return (
    <div className="page">
      <h1>Users</h1>
      <NamedTable
        query={users}
        remove={remove}
        columns={['Kind', 'Admin', 'Last login']}
        name={(user) => user.login}
        cells={(user) => [user.machine ? 'machine' : 'person', <AdminToggle key="admin" user={user} />, dateTime(user.last_login) || 'never']}
        empty="No users."
      />
      <AddForm what="a user" onAdd={add} error={create.error} busy={create.isPending}>
        <label>
          Login
          <input required value={draft.login} onChange={(e) => setDraft({ ...draft, login: e.target.value })} />
        </label>
        <label>
          Email
          <input type="email" value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.admin} onChange={(e) => setDraft({ ...draft, admin: e.target.checked })} />
          Administrator
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.machine} onChange={(e) => setDraft({ ...draft, machine: e.target.checked })} />
          Machine user (for scripts: signs in with a token only)
        </label>
      </AddForm>
    </div>
  );
}

function AdminToggle({ user }: { user: User }) {
  const client = useQueryClient();
  const change = useMutation({
    mutationFn: (admin: boolean) => api<User>(`/users/${encodeURIComponent(user.login)}`, { method: 'PATCH', body: { admin } }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
  });
  return (
    <label className="check">
      <input type="checkbox" checked={user.admin} disabled={change.isPending} onChange={(e) => change.mutate(e.target.checked)} />
      <span className="visually-hidden">{user.login} is an administrator</span>
      {change.error ? <ErrorMessage error={change.error} /> : null}
    </label>
  );
}
