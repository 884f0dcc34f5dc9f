/** Redis key layout; every key carries the `nn:` namespace (see docs/CACHE.md). */
export const cacheKeys = {
  message: (id: string) => `nn:msg:${id}`,
  metrics: (id: string) => `nn:metrics:${id}`,
  conversation: (id: string) => `nn:conv:${id}`,
  analysis: (textHash: string) => `nn:analysis:${textHash}`,
};

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
