import { afterEach, describe, expect, it, vi } from "vitest";
import { type Env, loadConfig } from "../../../src/config";
import { createServices } from "../../../src/services";

const withDatabase = (connectionString: string) =>
  loadConfig({
    AUTH_DISABLED: "true",
    EMBEDDING_PROVIDER: "ollama",
    EMBEDDING_BASE_URL: "http://127.0.0.1:9",
    // A Hyperdrive binding, as workerd hands it to the worker.
    VECTOR_DB: { connectionString },
  } as unknown as Env);

afterEach(() => vi.restoreAllMocks());

describe("the vector database's password", () => {
  it.each([
    ["differs from the user name", "postgres://nexus:s3cret-pw@db.internal:5432/app", "s3cret-pw"],
    ["equals the user name", "postgres://nexusdb:nexusdb@db.internal:5432/app", "nexusdb"],
  ])("never reaches a log line when it %s", (_, connectionString, password) => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const services = createServices(withDatabase(connectionString));
    services.log({ msg: "vector_store_failed", detail: `password authentication failed: ${password}` });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(password);
    expect(lines[0]).toContain("[redacted]");
  });
});
