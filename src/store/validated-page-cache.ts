// Pages of rows kept between requests and checked against the database on every read: a cheap statement
// reads the page's ids and versions (an index and two columns), and the cached page answers only when they
// are the same. Every server checks for itself, so a page is never staler than the database.

import { BoundedMap } from '../core/bounded-map.js';

const DEFAULT_ENTRIES = 1000;

export interface Head {
  id: number;
  version: number;
}

export class ValidatedPageCache<T> {
  private readonly pages: BoundedMap<string, { signature: string; rows: T[] }>;

  constructor(entries = DEFAULT_ENTRIES) {
    this.pages = new BoundedMap(entries);
  }

  /** The page under `key`: the cached one when `heads` (read now) match, else `load()`'s, which is kept. */
  async read(key: string, heads: Head[], load: () => Promise<T[]>): Promise<T[]> {
    const signature = heads.map((head) => `${head.id}.${head.version}`).join(',');
    const cached = this.pages.get(key);
    if (cached && cached.signature === signature) return cached.rows;
    // Loaded after the heads were read: at least as new as `signature`, so a later change still misses.
    const rows = Object.freeze(await load()) as T[];
    this.pages.set(key, { signature, rows });
    return rows;
  }
}
