// Build status badges: a flat two-part "build | <status>" SVG in the shields.io style Drone uses, with
// Drone's words and colours (research/drone-clients.md §2.6).

import type { Status } from '../../../core/status.js';

export type BadgeState = 'success' | 'failure' | 'started' | 'error' | 'none';

const COLOURS: Record<BadgeState, string> = {
  success: '#4c1',
  failure: '#e05d44',
  started: '#dfb317',
  error: '#9f9f9f',
  none: '#9f9f9f',
};

/** Drone's mapping: waiting or running builds have "started", an error is "error", any other end "failure". */
export function badgeState(status: Status | undefined): BadgeState {
  switch (status) {
    case undefined:
      return 'none';
    case 'pending':
    case 'running':
    case 'blocked':
      return 'started';
    case 'success':
      return 'success';
    case 'error':
      return 'error';
    default:
      return 'failure';
  }
}

/** Verdana 11px is about 7 pixels a letter; each part has 6 pixels of margin on both sides. */
function partWidth(text: string): number {
  return text.length * 7 + 12;
}

export function badgeSvg(state: BadgeState, label = 'build'): string {
  const left = partWidth(label);
  const right = partWidth(state);
  const width = left + right;
  const colour = COLOURS[state];
  const text = (x: number, value: string) =>
    `<text x="${x}" y="15" fill="#010101" fill-opacity=".3">${value}</text><text x="${x}" y="14">${value}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${label}: ${state}">` +
    `<title>${label}: ${state}</title>` +
    `<linearGradient id="shade" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="round"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#round)"><rect width="${left}" height="20" fill="#555"/><rect x="${left}" width="${right}" height="20" fill="${colour}"/>` +
    `<rect width="${width}" height="20" fill="url(#shade)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="DejaVu Sans,Verdana,Geneva,sans-serif" font-size="11">` +
    text(left / 2, label) +
    text(left + right / 2, state) +
    `</g></svg>`
  );
}
