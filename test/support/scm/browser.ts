// A browser as far as logins need one: it keeps the cookies each host sets, sends them back, and follows
// redirects one hop at a time so a test can look at every hop of an OAuth flow.

export interface Hop {
  url: string;
  status: number;
  location?: string;
  setCookies: string[];
  body: string;
}

export class Browser {
  /** host → cookie name → value */
  private readonly jar = new Map<string, Map<string, string>>();

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  setCookie(host: string, name: string, value: string): void {
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    this.jar.get(host)?.set(name, value);
  }

  /** One request, no redirect followed. */
  async request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Hop> {
    const host = new URL(url).host;
    const cookies = [...(this.jar.get(host)?.entries() ?? [])].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { ...(cookies ? { cookie: cookies } : {}), ...init.headers },
      body: init.body,
      redirect: 'manual',
    });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === '') this.jar.get(host)?.delete(name);
      else this.setCookie(host, name, value);
    }
    const location = response.headers.get('location') ?? undefined;
    return { url, status: response.status, location: location && new URL(location, url).toString(), setCookies, body: await response.text() };
  }

  /** Follows redirects from `url` until a page that is not one; answers every hop. */
  async visit(url: string, maxHops = 10): Promise<Hop[]> {
    const hops: Hop[] = [];
    let next: string | undefined = url;
    while (next && hops.length < maxHops) {
      const hop = await this.request(next);
      hops.push(hop);
      next = hop.status >= 300 && hop.status < 400 ? hop.location : undefined;
    }
    return hops;
  }
}
