/** The part of `node:async_hooks` Workers offer with `nodejs_compat` that the tracer uses. */
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    run<R>(store: T, callback: () => R): R;
  }
}
