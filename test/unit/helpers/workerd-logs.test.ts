import { describe, expect, it } from "vitest";
import { withoutNetworkNoise } from "../../helpers/workerd-logs";

const stack = "stack: /x/bin/workerd@3a4d9d0 /x/bin/workerd@3a4e7b5";

describe("workerd output filter of the worker tests", () => {
  it("drops the lines a caught fetch to a closed port prints, with their native stacks", () => {
    const noise = [
      "uncaught exception; source = Uncaught (in promise); stack = Error: Network connection lost.",
      "uncaught exception; exception = workerd/jsg/value.h:1535: disconnected: jsg.Error: Network connection lost.",
      stack,
      "exception = rust/worker/ffi.rs:110: disconnected: Connection refused (os error 111)",
      stack,
    ].join("\n");
    expect(withoutNetworkNoise(noise)).toEqual({ kept: "", dropped: 5 });
  });

  it("keeps a real uncaught error and its stack", () => {
    const real = [
      "uncaught exception; source = Uncaught (in promise); stack = TypeError: Cannot read properties of undefined",
      stack,
    ].join("\n");
    expect(withoutNetworkNoise(real)).toEqual({ kept: real, dropped: 0 });
  });
});
