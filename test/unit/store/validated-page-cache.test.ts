import { describe, expect, it } from 'vitest';
import { ValidatedPageCache } from '../../../src/store/validated-page-cache.js';

describe('a validated page cache', () => {
  it('answers from the cache only while the heads read now are the same', async () => {
    const cache = new ValidatedPageCache<string>();
    let loads = 0;
    const load = (rows: string[]) => async () => {
      loads++;
      return rows;
    };
    expect(await cache.read('p', [{ id: 2, version: 1 }], load(['two']))).toEqual(['two']);
    expect(await cache.read('p', [{ id: 2, version: 1 }], load(['unused']))).toEqual(['two']);
    expect(loads).toBe(1);
    expect(await cache.read('p', [{ id: 2, version: 2 }], load(['two, changed']))).toEqual(['two, changed']);
    expect(await cache.read('p', [{ id: 3, version: 1 }, { id: 2, version: 2 }], load(['three', 'two, changed']))).toEqual(['three', 'two, changed']);
    expect(loads).toBe(3);
  });

  it('keeps at most its number of pages, dropping the oldest', async () => {
    const cache = new ValidatedPageCache<number>(2);
    let loads = 0;
    const load = async () => [++loads];
    for (const key of ['a', 'b', 'c']) await cache.read(key, [], load);
    expect(await cache.read('c', [], load)).toEqual([3]);
    expect(await cache.read('a', [], load)).toEqual([4]);
  });
});
