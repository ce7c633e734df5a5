// Docker image references as the docker runner reads them (docker/distribution reference): `golang`
// becomes `docker.io/library/golang:latest`; names that do not parse are left as written.

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const HEX64 = /^[a-f0-9]{64}$/;

export interface ImageReference {
  domain: string;
  path: string;
  tag: string;
  digest: string;
}

/** Parses and normalizes a reference (docker.io and library/ added); undefined if it does not parse. */
export function parseImage(name: string): ImageReference | undefined {
  if (HEX64.test(name)) return undefined;
  let domain: string;
  let remainder: string;
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  if (slash === -1 || (!first.includes('.') && !first.includes(':') && first !== 'localhost')) {
    domain = 'docker.io';
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(slash + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = 'library/' + remainder;
  const tagSep = remainder.indexOf(':');
  const remoteName = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remoteName.toLowerCase() !== remoteName) return undefined;
  const m = REFERENCE.exec(`${domain}/${remainder}`);
  if (!m || m[1].length > 255) return undefined;
  const full = m[1];
  return { domain, path: full.slice(domain.length + 1), tag: m[2] ?? '', digest: m[3] ?? '' };
}

/** The fully qualified name with a tag (`:latest` when neither tag nor digest is given). */
export function expandImage(name: string): string {
  const ref = parseImage(name);
  if (!ref) return name;
  const tag = ref.tag === '' && ref.digest === '' ? 'latest' : ref.tag;
  return `${ref.domain}/${ref.path}${tag ? ':' + tag : ''}${ref.digest ? '@' + ref.digest : ''}`;
}

/** The short name without tag (`docker.io/library/golang:1` → `golang`, `plugins/docker:20` → `plugins/docker`). */
export function trimImage(name: string): string {
  const ref = parseImage(name);
  if (!ref) return name;
  if (ref.domain === 'docker.io') return ref.path.startsWith('library/') ? ref.path.slice('library/'.length) : ref.path;
  return `${ref.domain}/${ref.path}`;
}

/** Whether two images name the same repository, tags ignored. */
export function sameImage(a: string, b: string): boolean {
  return trimImage(a) === trimImage(b);
}

/** Whether the image lives on the registry `hostname` (docker.io aliases and URLs accepted). */
export function imageOnHost(image: string, hostname: string): boolean {
  const ref = parseImage(image);
  if (!ref) return false;
  let host = hostname === 'index.docker.io' ? 'docker.io' : hostname;
  if (host.startsWith('http://') || host.startsWith('https://')) {
    try {
      host = new URL(host).host;
    } catch {
      // keep the text as written, like Go when url.Parse fails
    }
  }
  return ref.domain === host;
}

export function isLatest(image: string): boolean {
  return expandImage(image).endsWith(':latest');
}
