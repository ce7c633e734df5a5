// Filters of the build list by branch, event and status, kept in the address (?branch=&event=&status=) so
// a filtered list can be bookmarked. They apply to the builds loaded so far, as Drone's own list does.

import { useSearchParams } from 'react-router';
import type { Build } from '../api/types';
import { statusLabel } from '../components/StatusIcon';
import { refName } from '../components/text';

const FILTERS = [
  ['branch', 'Branch', (build: Build) => refName(build.target || build.ref)],
  ['event', 'Event', (build: Build) => build.event],
  ['status', 'Status', (build: Build) => build.status],
] as const;

export function useBuildFilter(): (builds: Build[]) => Build[] {
  const [search] = useSearchParams();
  return (builds) => builds.filter((build) => FILTERS.every(([key, , value]) => !search.get(key) || value(build) === search.get(key)));
}

export function BuildFilters({ builds }: { builds: Build[] }) {
  const [search, setSearch] = useSearchParams();
  const choose = (key: string, value: string) =>
    setSearch(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  return (
    <div className="filters">
      {FILTERS.map(([key, label, value]) => {
        const options = [...new Set(builds.map(value))].sort();
        const chosen = search.get(key) ?? '';
        return (
          <label key={key}>
            {label}
            <select value={chosen} onChange={(e) => choose(key, e.target.value)}>
              <option value="">All</option>
              {(chosen && !options.includes(chosen) ? [chosen, ...options] : options).map((option) => (
                <option key={option} value={option}>
                  {key === 'status' ? statusLabel(option) : option}
                </option>
              ))}
            </select>
          </label>
        );
      })}
    </div>
  );
}
