// /settings/cluster (admins; beyond Drone): the servers alive with their parked runner requests and live
// viewers, the machines running stages, the runner requests waiting for work, and the queue with why each
// stage waits. Refreshed every few seconds; any server answers it.

import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client';
import { QueryState } from '../components/QueryState';
import { useTitle } from '../components/Title';
import { dateTime } from '../components/time';

interface Place {
  repo: string;
  build: number;
  stage: number;
  name: string;
}

interface ClusterOverview {
  paused: boolean;
  servers: Array<{ id: string; address: string; version: string; started: number; seen_ago_ms: number; answering: boolean; parked_polls: number; held_watches: number; event_viewers: number; draining: boolean }>;
  runners: Array<{ name: string; os: string; arch: string; labels: Record<string, string>; stages: Place[] }>;
  waiting: Array<{ server: string; waiting: number; filter: { type: string; os: string; arch: string; labels?: Record<string, string> } }>;
  queue: Array<Place & { status: string; created: number; reason: string; detail: string }>;
}

const REFRESH_MS = 3_000;

export function ClusterPage() {
  useTitle('Cluster');
  const overview = useQuery({ queryKey: ['cluster'], queryFn: () => api<ClusterOverview>('/system/cluster'), refetchInterval: REFRESH_MS });
  return (
    <div className="page">
      <h1>Cluster</h1>
      <QueryState query={overview}>
        {(data) => (
          <>
            {data.paused ? <p role="status">The queue is paused: no stage is handed to a runner until it is resumed.</p> : null}
            <Servers servers={data.servers} />
            <Runners runners={data.runners} waiting={data.waiting} />
            <Queue queue={data.queue} />
          </>
        )}
      </QueryState>
    </div>
  );
}

function Servers({ servers }: Pick<ClusterOverview, 'servers'>) {
  return (
    <section aria-labelledby="servers">
      <h2 id="servers">Servers</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Server</th>
            <th scope="col">Runner polls</th>
            <th scope="col">Watches</th>
            <th scope="col">Viewers</th>
            <th scope="col">Up since</th>
          </tr>
        </thead>
        <tbody>
          {servers.map((server) => (
            <tr key={server.id}>
              <td>
                {server.address} {server.answering ? '(this page)' : ''} {server.draining ? '(leaving)' : ''}
              </td>
              <td>{server.parked_polls}</td>
              <td>{server.held_watches}</td>
              <td>{server.event_viewers}</td>
              <td>{dateTime(Math.floor(server.started / 1000))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Runners({ runners, waiting }: Pick<ClusterOverview, 'runners' | 'waiting'>) {
  return (
    <section aria-labelledby="runners">
      <h2 id="runners">Runners</h2>
      {runners.length === 0 && waiting.length === 0 ? <p className="empty">No runner is connected.</p> : null}
      <ul className="plain">
        {runners.map((runner) => (
          <li key={runner.name}>
            <strong>{runner.name}</strong> {runner.os}/{runner.arch} {labelsOf(runner.labels)} — running{' '}
            {runner.stages.map((stage) => (
              <Link key={`${stage.repo}#${stage.build}.${stage.stage}`} to={`/${stage.repo}/${stage.build}`}>
                {stage.repo}#{stage.build} {stage.name}{' '}
              </Link>
            ))}
          </li>
        ))}
        {waiting.map((entry, index) => (
          <li key={`${entry.server}-${index}`}>
            {entry.waiting} waiting for {entry.filter.type} work on {entry.filter.os || 'any'}/{entry.filter.arch || 'any'} {labelsOf(entry.filter.labels ?? {})} (polling {entry.server})
          </li>
        ))}
      </ul>
    </section>
  );
}

function Queue({ queue }: Pick<ClusterOverview, 'queue'>) {
  return (
    <section aria-labelledby="queue">
      <h2 id="queue">Queue</h2>
      {queue.length === 0 ? (
        <p className="empty">Nothing is waiting.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Status</th>
              <th scope="col">Why it waits</th>
            </tr>
          </thead>
          <tbody>
            {queue.map((item) => (
              <tr key={`${item.repo}#${item.build}.${item.stage}`} data-reason={item.reason}>
                <td>
                  <Link to={`/${item.repo}/${item.build}`}>
                    {item.repo}#{item.build}
                  </Link>{' '}
                  {item.name}
                </td>
                <td>{item.status}</td>
                <td>{item.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function labelsOf(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
  return pairs.length > 0 ? `[${pairs.join(', ')}]` : '';
}
