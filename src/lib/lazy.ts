/**
 * A value built on first use and the same value on every later call: schemas, tables and other
 * module-level constants a cold isolate need not build before its first request.
 *
 * @example
 * export const MetricsSchema = lazy(() => z.object({ … }).meta({ id: "Metrics" }));
 * export type Metrics = z.infer<ReturnType<typeof MetricsSchema>>;
 * MetricsSchema().parse(value); // built here, once
 */
export function lazy<T>(build: () => T): Lazy<T> {
  let built = false;
  let value: T;
  const get = () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
  return Object.assign(get, { [LAZY]: true as const });
}

const LAZY = Symbol("lazy");

/** A value {@link lazy} builds on first call. */
export type Lazy<T> = (() => T) & { readonly [LAZY]: true };

/** A value, or a {@link lazy} one: read either with {@link resolve}. */
export type MaybeLazy<T> = T | Lazy<T>;

/** The value behind a {@link MaybeLazy} (built now if it was not yet). */
export function resolve<T>(value: MaybeLazy<T>): T {
  return isLazy(value) ? value() : value;
}

function isLazy<T>(value: MaybeLazy<T>): value is Lazy<T> {
  return typeof value === "function" && LAZY in value;
}

/** What a {@link MaybeLazy} holds, at the type level. */
export type Resolved<T> = T extends Lazy<infer V> ? V : T;
