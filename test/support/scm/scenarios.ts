// The parts of a provider's end-to-end story that read the same for GitHub, Gitea, GitLab and Gogs: a forged
// sign-in refused, a sync that needs the session's CSRF token, enabling that leaves one hook carrying the
// repository's secret, bad signatures refused, and a delivery the provider failed that builds once when it is
// sent again. Each provider's test calls them with its own stand-in and adds what is its own.

import { expect } from 'vitest';
import type { Build, Repo } from '../../../src/core/types.js';
import { Browser } from './browser.js';
import { sessionApi } from './hangar.js';
import type { Delivery, StandIn, StandInRepo } from './standin.js';

/** A /login return whose state this server never issued is refused. */
export async function expectForgedStateRefused(hangarUrl: string): Promise<void> {
  const hop = await new Browser().request(`${hangarUrl}/login?code=forged&state=forged`);
  expect(hop.status).toBe(400);
  expect(hop.body).toMatch(/did not start here/);
}

/** Sync needs the session's CSRF token, then lists exactly `slug`; answers that repository. */
export async function expectSyncedOnly(browser: Browser, hangarUrl: string, slug: string): Promise<Repo> {
  expect((await sessionApi(browser, hangarUrl, 'POST', '/api/user/repos', { csrf: false })).status).toBe(403);
  const { status, json } = await sessionApi<Repo[]>(browser, hangarUrl, 'POST', '/api/user/repos');
  expect(status).toBe(200);
  expect(json.map((r) => r.slug)).toEqual([slug]);
  return json[0];
}

/** Enabling answers the active repository without its secret and leaves one hook to this server, with a secret. */
export async function expectEnabledWithOneHook(browser: Browser, hangarUrl: string, slug: string, repo: StandInRepo): Promise<void> {
  const { status, json } = await sessionApi<Repo & { signer?: string }>(browser, hangarUrl, 'POST', `/api/repos/${slug}`);
  expect(status).toBe(200);
  expect(json.active).toBe(true);
  expect(json.signer).toBeUndefined();
  expect(repo.hooks).toHaveLength(1);
  expect(repo.hooks[0].url).toBe(`${hangarUrl}/hook`);
  expect(repo.hooks[0].secret).toMatch(/^[A-Za-z0-9]{32}$/);
}

/** Deliveries signed with a wrong secret and with none are refused, and build nothing. */
export async function expectBadSignaturesRefused(builds: () => Promise<Build[]>, deliver: (secret: string | null) => Promise<Delivery[]>): Promise<void> {
  const before = (await builds()).length;
  const wrong = await deliver('not-the-secret');
  const missing = await deliver(null);
  expect(wrong[0].status).toBe(400);
  expect(missing[0].status).toBe(400);
  expect(JSON.parse(wrong[0].body).message).toMatch(/signature/);
  expect(JSON.parse(missing[0].body).message).toMatch(/signature/);
  expect((await builds()).length).toBe(before);
}

export interface FailedDelivery {
  standIn: StandIn;
  /** Provider name as the error says it (e.g. GitHub). */
  provider: string;
  /** The provider's file API, which fails. */
  contents: RegExp;
  builds(): Promise<Build[]>;
  /** Commits, and delivers the push with the delivery id `delivery-503`. */
  push(): Promise<{ sha: string; deliveries: Delivery[] }>;
  /** Sends the push of `sha` again with the same delivery id. */
  redeliver(sha: string): Promise<Delivery[]>;
}

/**
 * The provider answers 503, then nothing at all, while a push is handled: 502 both times and no build; the
 * redelivery builds, and a repeat answers the same build. Answers that build.
 */
export async function expectRedeliveryBuildsOnce(scenario: FailedDelivery): Promise<Build> {
  const before = (await scenario.builds()).length;
  scenario.standIn.fail('GET', scenario.contents, 503);
  const { sha, deliveries } = await scenario.push();
  expect(deliveries[0].status).toBe(502);
  expect(JSON.parse(deliveries[0].body).message).toMatch(new RegExp(`${scenario.provider}.*503`));
  expect((await scenario.builds()).length).toBe(before);

  scenario.standIn.fail('GET', scenario.contents, 'hang');
  const timedOut = await scenario.redeliver(sha);
  expect(timedOut[0].status).toBe(502);
  expect((await scenario.builds()).length).toBe(before);

  const redelivered = await scenario.redeliver(sha);
  const again = await scenario.redeliver(sha);
  expect(redelivered[0].status).toBe(200);
  const first = JSON.parse(redelivered[0].body) as Build;
  expect(first.after).toBe(sha);
  expect((JSON.parse(again[0].body) as Build).number).toBe(first.number);
  expect((await scenario.builds()).filter((b) => b.after === sha)).toHaveLength(1);
  return first;
}
