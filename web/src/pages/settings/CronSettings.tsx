// Settings › Cron jobs: name, branch, schedule and next run; add and delete.

import { useState } from 'react';
import { repoPath } from '../../api/paths';
import { keys, useCrons } from '../../api/queries';
import type { Cron } from '../../api/types';
import { AddForm } from '../../components/AddForm';
import { NamedTable } from '../../components/NamedTable';
import { dateTime } from '../../components/time';
import { useRepoRef } from '../use-repo-ref';
import { useCollectionChanges } from './use-collection';

const SCHEDULES = ['@hourly', '@daily', '@weekly', '@monthly', '@yearly'];

type Draft = Pick<Cron, 'name' | 'branch' | 'expr'>;

export function CronSettings() {
  const ref = useRepoRef();
  const crons = useCrons(ref);
  const { create, remove } = useCollectionChanges<Draft>(`${repoPath(ref)}/cron`, keys.crons(ref));
  const [draft, setDraft] = useState<Draft>({ name: '', branch: '', expr: '@daily' });

  const add = () => create.mutate(draft, { onSuccess: () => setDraft({ name: '', branch: '', expr: '@daily' }) });

  return (
    <>
      <h2>Cron jobs</h2>
      <NamedTable
        query={crons}
        remove={remove}
        columns={['Branch', 'Schedule', 'Next run']}
        name={(cron) => cron.name}
        cells={(cron) => [cron.branch, <code key="expr">{cron.expr}</code>, dateTime(cron.next)]}
        empty="No cron jobs."
      />
      <AddForm what="a cron job" onAdd={add} error={create.error} busy={create.isPending}>
        <label>
          Name
          <input required value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </label>
        <label>
          Branch
          <input placeholder="the default branch" value={draft.branch} onChange={(e) => setDraft({ ...draft, branch: e.target.value })} />
        </label>
        <label>
          Schedule
          <input list="cron-schedules" required value={draft.expr} onChange={(e) => setDraft({ ...draft, expr: e.target.value })} />
          <datalist id="cron-schedules">
            {SCHEDULES.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </label>
      </AddForm>
    </>
  );
}
