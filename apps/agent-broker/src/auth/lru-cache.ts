/**
 * A bounded least-recently-used map. Map keeps insertion order, so re-inserting on each hit
 * moves an entry to the end and the first key is always the coldest.
 */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly capacity: number) {
    if (capacity < 1) throw new Error('LruCache capacity must be at least 1');
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const coldest = this.map.keys().next();
      if (coldest.done) break;
      this.map.delete(coldest.value);
    }
  }

  delete(key: K): void {
    this.map.delete(key);
  }
}
