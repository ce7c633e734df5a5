// A Map that holds at most `limit` entries: adding a new key to a full one first drops the oldest (the
// first inserted). The memos and caches of this server use it; one that wants least-recently-used
// order deletes and sets again the entry it hits.

export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.limit && !this.has(key)) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
