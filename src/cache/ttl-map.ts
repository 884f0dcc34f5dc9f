/**
 * A size-bounded map whose entries expire. When full, the entry written longest ago is evicted.
 *
 * @example
 * const map = new TtlMap<string>(1_000);
 * map.set("k", "v", 60);
 * map.get("k"); // "v" for the next 60 seconds
 */
export class TtlMap<Value> {
  private readonly entries = new Map<string, { value: Value; expiresAt: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(maxEntries: number, now: () => number = Date.now) {
    this.maxEntries = maxEntries;
    this.now = now;
  }

  get(key: string): Value | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores `value` for `ttlSeconds`, replacing any earlier value and its expiry. */
  set(key: string, value: Value, ttlSeconds: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
