import { describe, expect, it } from "vitest";
import * as z from "zod";
import { lazy, resolve } from "../../../src/lib/lazy";

describe("lazy", () => {
  it("builds nothing until the first call, then hands out the same value on every call", () => {
    let builds = 0;
    const schema = lazy(() => {
      builds += 1;
      return z.object({ text: z.string() });
    });
    expect(builds).toBe(0);
    const first = schema();
    expect(schema()).toBe(first);
    expect(builds).toBe(1);
    expect(first.parse({ text: "hi" })).toEqual({ text: "hi" });
  });

  it("keeps a value that is falsy, instead of building it again", () => {
    let builds = 0;
    const nothing = lazy(() => {
      builds += 1;
      return undefined;
    });
    nothing();
    nothing();
    expect(builds).toBe(1);
  });

  it("builds again after a build that threw, so a failure is not cached as a value", () => {
    let calls = 0;
    const flaky = lazy(() => {
      calls += 1;
      if (calls === 1) throw new Error("first build fails");
      return calls;
    });
    expect(() => flaky()).toThrow("first build fails");
    expect(flaky()).toBe(2);
    expect(flaky()).toBe(2);
  });

  it("resolve reads a lazy value and a plain one alike, and leaves other functions alone", () => {
    const schema = z.string();
    const plain = (value: string) => value;
    expect(resolve(lazy(() => schema))).toBe(schema);
    expect(resolve(schema)).toBe(schema);
    expect(resolve<typeof plain>(plain)).toBe(plain);
  });
});
