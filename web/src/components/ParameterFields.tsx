// Key/value parameters of a new build, a promotion or a rollback (custom environment variables).

import { useState } from 'react';
import type { Query } from '../api/client';

interface Parameter {
  id: number;
  key: string;
  value: string;
}

export interface Parameters {
  list: Parameter[];
  add(): void;
  update(id: number, change: Partial<Parameter>): void;
  remove(id: number): void;
  /** The named parameters, as query parameters. */
  query(): Query;
}

export function useParameters(): Parameters {
  const [list, setList] = useState<Parameter[]>([]);
  return {
    list,
    add: () => setList((current) => [...current, { id: Date.now(), key: '', value: '' }]),
    update: (id, change) => setList((current) => current.map((p) => (p.id === id ? { ...p, ...change } : p))),
    remove: (id) => setList((current) => current.filter((p) => p.id !== id)),
    query: () => Object.fromEntries(list.filter((p) => p.key.trim()).map((p) => [p.key.trim(), p.value])),
  };
}

export function ParameterFields({ params }: { params: Parameters }) {
  return (
    <fieldset>
      <legend>Parameters</legend>
      {params.list.map((p, index) => (
        <div className="param" key={p.id}>
          <input aria-label={`Parameter ${index + 1} name`} placeholder="NAME" value={p.key} onChange={(e) => params.update(p.id, { key: e.target.value })} />
          <input aria-label={`Parameter ${index + 1} value`} placeholder="value" value={p.value} onChange={(e) => params.update(p.id, { value: e.target.value })} />
          <button type="button" aria-label={`Remove parameter ${index + 1}`} onClick={() => params.remove(p.id)}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={params.add}>
        Add a parameter
      </button>
    </fieldset>
  );
}
