// How visitors sign in on this server, which the server writes into the page's
// `<meta name="hangar-login">`: through /login with the SCM (`oauth`, or `password` for Gogs' form), or with
// an API token (`token`: the local git provider has no browser login).

export type LoginMode = 'oauth' | 'password' | 'token';

export function loginMode(): LoginMode {
  const value = document.querySelector('meta[name="hangar-login"]')?.getAttribute('content');
  return value === 'oauth' || value === 'password' ? value : 'token';
}

/** The provider's name for "Sign in with …", when the server gives one. */
export function loginProvider(): string {
  return document.querySelector('meta[name="hangar-provider"]')?.getAttribute('content') || 'your source-code host';
}
