/**
 * What workerd prints when a `fetch` to a closed port fails, even though the worker catches the
 * rejection: an "uncaught exception … Network connection lost" pair and the socket error, each with
 * a native stack. Worker tests point the cache, rooms or providers at closed ports on purpose, so
 * these lines are expected; anything else workerd prints still shows, where a real uncaught error
 * would be lost among hundreds of these.
 */
const EXPECTED_NETWORK_NOISE = [
  /^uncaught exception; source = Uncaught \(in promise\); stack = Error: Network connection lost\.$/,
  /^uncaught exception; exception = workerd\/jsg\/value\.h:\d+: disconnected: jsg\.Error: Network connection lost\.$/,
  /^exception = rust\/worker\/ffi\.rs:\d+: disconnected: Connection refused \(os error 111\)$/,
];
const NATIVE_STACK = /^stack: (?:\S+workerd@[0-9a-f]+ ?)+$/;

/** Drops the expected lines (and the native stack line right after each) from one write's text. */
export function withoutNetworkNoise(text: string): { kept: string; dropped: number } {
  const kept: string[] = [];
  let dropped = 0;
  let afterNoise = false;
  for (const line of text.split("\n")) {
    const bare = line.trim();
    if (
      EXPECTED_NETWORK_NOISE.some((pattern) => pattern.test(bare)) ||
      (afterNoise && NATIVE_STACK.test(bare))
    ) {
      dropped++;
      afterNoise = true;
      continue;
    }
    afterNoise = false;
    kept.push(line);
  }
  return { kept: kept.join("\n"), dropped };
}

/**
 * Filters this process's stderr and stdout (where the workers pool prints workerd's logs) through
 * {@link withoutNetworkNoise}; returns the function that restores them and tells how many lines went.
 */
export function filterWorkerdNetworkNoise(): () => number {
  let total = 0;
  const restore = [process.stderr, process.stdout].map((stream) => {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== "string" || !/Network connection lost|os error 111|workerd@/.test(chunk))
        return original(chunk as never, ...(rest as []));
      const { kept, dropped } = withoutNetworkNoise(chunk);
      total += dropped;
      if (kept.trim() === "") return true;
      return original(kept as never, ...(rest as []));
    }) as typeof stream.write;
    return () => {
      stream.write = original as typeof stream.write;
    };
  });
  return () => {
    for (const undo of restore) undo();
    return total;
  };
}
