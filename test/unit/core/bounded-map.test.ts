// The bounded map behind the servers' memos and caches: memory stays bounded however many keys pass.

import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../../src/core/bounded-map.js';

describe('BoundedMap', () => {
  it('drops the oldest entry when a new key arrives at the limit', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('c', 3);
    expect([...map]).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
  });

  it('replaces a key it holds without dropping another', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('a', 10);
    expect([...map]).toEqual([
      ['a', 10],
      ['b', 2],
    ]);
  });
});
