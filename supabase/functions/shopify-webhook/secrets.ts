/**
 * A short-lived cache of shops' webhook secrets, so a busy shop costs one database lookup per
 * `ttlMs` instead of one per delivery. A signature that fails against a cached secret is checked
 * once more against a fresh one (the secret may just have been rotated), so caching never turns
 * a valid delivery away. Unknown shops are not cached: a new shop works at once.
 */
export type SecretLoader = (domain: string) => Promise<string | null>;

export class SecretCache {
  private readonly entries = new Map<string, { secret: string; expires: number }>();

  constructor(
    private readonly load: SecretLoader,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The secret, from the cache unless `fresh` or expired; null for an unknown or inactive shop. */
  async get(domain: string, fresh = false): Promise<{ secret: string | null; cached: boolean }> {
    const entry = this.entries.get(domain);
    if (!fresh && entry && entry.expires > this.now()) return { secret: entry.secret, cached: true };
    const secret = await this.load(domain);
    if (secret) this.entries.set(domain, { secret, expires: this.now() + this.ttlMs });
    else this.entries.delete(domain);
    return { secret, cached: false };
  }

  /** Drops a shop's cached secret (the shop was deactivated). */
  forget(domain: string): void {
    this.entries.delete(domain);
  }
}
