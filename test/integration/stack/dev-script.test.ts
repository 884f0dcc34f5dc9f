import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { openChromium } from "../../helpers/chromium";
import { isLoopback, listeningSockets, processGroup, processTree } from "../../helpers/listeners";
import { waitFor } from "../../helpers/partykit";
import { binDir, freePort, repoRoot, stopGroup } from "../../helpers/processes";
import { readSnippets } from "../../helpers/readme-snippets";
import {
  configWithSources,
  missingPaths,
  outputProblems,
  runNode,
  runShell,
  type SnippetRun,
} from "../../helpers/snippet-runners";

/**
 * `npm run dev` as a newcomer runs it, on a fresh clone of an offline machine with no key and no
 * Docker: the stack comes up on 127.0.0.1 only, a chat gets a scored (canned) reply from the demo
 * provider, the demo page shows a live gauge, and every README block runs against it.
 */
let dev: ChildProcess;
let output = "";
let apiUrl = "";
let roomsUrl = "";
/** `/health`'s status (or the error) when asked right as the console printed `API on …`. */
let askedWhenAnnounced: Promise<number | string> | undefined;
let ports: Record<"api" | "rooms" | "redis" | "bridge" | "vectors", number>;
const scratch = mkdtempSync(join(tmpdir(), "nexus-dev-script-"));
/** A fresh clone has no `.dev.vars`: the dev script creates this one from the example. */
const devVars = join(scratch, ".dev.vars");

beforeAll(async () => {
  const [api, rooms, redis, bridge, vectors] = await Promise.all(Array.from({ length: 5 }, freePort));
  ports = { api: api ?? 0, rooms: rooms ?? 0, redis: redis ?? 0, bridge: bridge ?? 0, vectors: vectors ?? 0 };
  apiUrl = `http://127.0.0.1:${ports.api}`;
  roomsUrl = `http://127.0.0.1:${ports.rooms}`;
  dev = spawn(join(binDir, "node"), [join(repoRoot, "scripts", "dev.ts")], {
    cwd: repoRoot,
    detached: true,
    env: {
      ...process.env,
      PATH: `${binDir}:${process.env.PATH ?? ""}`,
      DEV_API_PORT: String(ports.api),
      DEV_ROOMS_PORT: String(ports.rooms),
      DEV_REDIS_PORT: String(ports.redis),
      DEV_BRIDGE_PORT: String(ports.bridge),
      DEV_VECTORS_PORT: String(ports.vectors),
      DEV_VARS_FILE: devVars,
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_VECTOR_DB: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  dev.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    // Ask the API the moment the console says where it is, as a reader of that line would.
    if (!askedWhenAnnounced && output.includes(`API on ${apiUrl}`))
      askedWhenAnnounced = fetch(`${apiUrl}/health`).then(
        (response) => response.status,
        (error: Error) => error.message,
      );
  });
  dev.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(() => output.includes("Providers:") || dev.exitCode !== null, "the provider report", 120_000);
}, 150_000);

afterAll(async () => {
  if (dev) await stopGroup(dev);
  rmSync(scratch, { recursive: true, force: true });
});

describe("npm run dev on a fresh clone, offline, without keys", () => {
  it("creates .dev.vars from the example, and prints the API's address only once it answers", async () => {
    expect(existsSync(devVars)).toBe(true);
    expect(output).toContain(`API on ${apiUrl}`);
    expect(await askedWhenAnnounced).toBe(200);
    const health = await fetch(`${apiUrl}/health`);
    expect(((await health.json()) as { version?: string }).version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("lists each provider and whether it answered, with the demo banner naming the variable to set", () => {
    const report = output.slice(output.indexOf("Providers:"));
    expect(report).toMatch(/✓ demo\s+answered \(canned demo replies\)/);
    expect(report).toMatch(/canned sample texts/);
    expect(report).toContain("GROQ_API_KEY");
  });

  it("answers the README's first curl with a scored reply from the demo provider", async () => {
    const firstCurl = readSnippets(readFileSync(join(repoRoot, "README.md"), "utf8")).find(
      (snippet) => snippet.mode.kind === "shell" && snippet.code.includes("curl"),
    );
    const run = await runShell(firstCurl?.code ?? "false", { apiUrl, roomsUrl });
    expect(run.code).toBe(0);
    const reply = JSON.parse(run.stdout) as {
      provider: string;
      message: string;
      metrics: { human_likeness_score: number; is_ai_generated: boolean; low_confidence: boolean };
    };
    expect(reply.provider).toBe("demo");
    expect(reply.message.split(" ").length).toBeGreaterThan(75);
    expect(reply.metrics.human_likeness_score).toBeGreaterThanOrEqual(0);
    expect(typeof reply.metrics.is_ai_generated).toBe("boolean");
    expect(reply.metrics.low_confidence).toBe(false);
    expect(((await (await fetch(`${apiUrl}/health`)).json()) as { notice?: string }).notice).toMatch(
      /canned/,
    );
  });

  it("starts the local vector store (PGlite + pgvector) and migrates it, when no Postgres is configured", async () => {
    await waitFor(() => output.includes("Vector store ready"), "the vector store", 150_000);
    const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${ports.vectors}/postgres`, { max: 1 });
    try {
      const [row] = await sql`select count(*)::int as tables from pg_tables where tablename = 'nn_vectors'`;
      expect(row?.tables).toBe(1);
    } finally {
      await sql.end();
    }
  }, 160_000);

  it("listens on 127.0.0.1 only: every port of every process it started, partykit's inspector included", async () => {
    const tree = () => processTree(dev.pid ?? 0);
    // partykit opens its inspector proxy after the rooms: wait until one listener answers as it.
    const isPartykit = (pid: number) =>
      readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(join("partykit", "dist", "bin.mjs"));
    let inspector: number | undefined;
    for (let attempt = 0; attempt < 120 && inspector === undefined; attempt++) {
      for (const socket of listeningSockets(tree()).filter((entry) => isPartykit(entry.pid))) {
        const answer = await fetch(`http://127.0.0.1:${socket.port}/json/version`, {
          signal: AbortSignal.timeout(1_000),
        })
          .then((response) => response.text())
          .catch(() => "");
        if (answer.includes("partykit")) inspector = socket.port;
      }
      if (inspector === undefined) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(inspector).toBeDefined();
    const sockets = listeningSockets(tree());
    const open = new Set(sockets.map((socket) => socket.port));
    for (const port of Object.values(ports)) expect(open.has(port)).toBe(true);
    expect(sockets.filter((socket) => !isLoopback(socket.address))).toEqual([]);
  }, 90_000);

  it("shows a live gauge on the demo page, with both verdicts, the demo banner and no missing file", async () => {
    const { page, close } = await openChromium({ width: 1280, height: 900 });
    try {
      const failed: string[] = [];
      page.on("response", (response) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(`${apiUrl}/`);
      await page.locator('#room-status[data-state="live"]').waitFor({ timeout: 30_000 });
      await page.locator("#notice:not([hidden])").waitFor({ timeout: 10_000 });
      expect(await page.locator("#notice").textContent()).toMatch(/canned.*GROQ_API_KEY/);

      const verdicts: string[] = [];
      // The demo provider alternates texts written by people and in an assistant's register.
      for (const [turn, question] of ["Why is the sky blue?", "What is the meaning of life?"].entries()) {
        await page.fill("#message", question);
        await page.click("#send");
        await page.waitForFunction(
          (count) => document.querySelectorAll('.turn.assistant[data-state="done"]').length >= count,
          turn + 1,
        );
        const messageId = await page.locator(".turn.assistant").nth(turn).getAttribute("data-message-id");
        await page.locator(`#metrics[data-phase="final"][data-message-id="${messageId}"]`).waitFor();
        expect(Number(await page.locator("#gauge").getAttribute("aria-valuenow"))).toBeGreaterThanOrEqual(0);
        verdicts.push((await page.locator("#verdict").textContent()) ?? "");
      }
      expect(verdicts.sort()).toEqual(["Likely AI-generated", "Reads as human"]);
      expect(await page.locator(".turn.assistant .meta").first().textContent()).toContain(
        "demo · canned-replies",
      );
      expect(failed).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);

  it("says nothing when a client leaves its room (a closed tab, the example client ending)", async () => {
    const { token } = (await (
      await fetch(`${apiUrl}/rooms/conv_leaving/token`, { method: "POST" })
    ).json()) as {
      token: string;
    };
    for (const code of [1000, 1001]) {
      const socket = new WebSocket(`ws://127.0.0.1:${ports.rooms}/parties/main/conv_leaving?token=${token}`);
      await new Promise((resolve) => socket.once("message", resolve));
      await new Promise((resolve) => {
        socket.once("close", resolve);
        socket.close(code);
      });
    }
    // A later request's log line: whatever the closes made partykit print is in the output by then.
    await fetch(`${roomsUrl}/parties/main/after-leaving`).catch(() => undefined);
    await waitFor(() => output.includes("after-leaving"), "partykit's log of a later request");
    expect(output).not.toMatch(/Uncaught exception|worker_do_not_log/);
  });

  it("prints no DNS or network errors while it starts and serves requests", async () => {
    for (let i = 0; i < 3; i++) await fetch(`${apiUrl}/health`);
    await fetch(`${roomsUrl}/parties/main/some-room`).catch(() => undefined);
    expect(output).not.toMatch(/ENOTFOUND|getaddrinfo|EAI_AGAIN/);
  });
});

describe("npm run example:client, as a user runs it against npm run dev", () => {
  it("prints the final score the room delivers, not the first partial, and exits by itself", async () => {
    const run = await runShell('npm run example:client -- "Why is the sky blue?"', { apiUrl, roomsUrl });
    expect(run.code).toBe(0);
    const messageId = /· (msg_[\w-]+)\]/.exec(run.stdout)?.[1];
    const printed = /human-likeness ([\d.]+) · .* after (\d+) partial scores?\)/.exec(run.stdout);
    expect(printed).not.toBeNull();
    const final = (await (await fetch(`${apiUrl}/metrics/${messageId}`)).json()) as {
      human_likeness_score: number;
    };
    expect(Number(printed?.[1])).toBe(final.human_likeness_score);
    expect(Number(printed?.[2])).toBeGreaterThan(0);
  }, 60_000);
});

describe("the README's code blocks, against npm run dev", () => {
  const snippets = readSnippets(readFileSync(join(repoRoot, "README.md"), "utf8"));
  let last: SnippetRun | undefined;

  for (const snippet of snippets) {
    const { mode } = snippet;
    const title = `README.md:${snippet.line} (${snippet.lang || "plain"}, ${mode.kind})`;
    if (mode.kind === "shell" || mode.kind === "node") {
      it(`${title} runs`, async () => {
        const target = { apiUrl, roomsUrl };
        last =
          mode.kind === "shell"
            ? await runShell(snippet.code, target, mode.untilOutput)
            : await runNode(snippet.code, target, `line-${snippet.line}`, mode.untilOutput);
        expect(last.code, last.stderr).toBe(0);
        expect(last.stdout.trim()).not.toBe("");
        expect(last.stdout).not.toMatch(/"status":\s*"error"|\{"error":\{/);
      }, 60_000);
    } else if (mode.kind === "output") {
      it(`${title} is what the block before it prints`, () => {
        expect(outputProblems(snippet.code, last?.stdout ?? "", mode.same)).toEqual([]);
      });
    } else if (mode.kind === "unmarked") {
      it(`${title} says how it is checked`, () => {
        expect.fail(mode.problem);
      });
    } else if (mode.kind === "paths") {
      it(`${title} names paths that exist`, () => {
        expect(missingPaths(snippet.code)).toEqual([]);
      });
    }
  }

  it("the source blocks (a new provider) make the configuration read their variables", async () => {
    const sources = snippets
      .filter((snippet) => snippet.mode.kind === "source")
      .map((snippet) => snippet.code);
    expect(sources.length).toBeGreaterThan(0);
    const variables = await configWithSources(sources);
    const declared = sources.flatMap((code) =>
      [...code.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]),
    );
    expect(declared.length).toBeGreaterThan(0);
    for (const name of declared) expect(variables).toContain(name);
  });

  it("says why each block that cannot run here is left out", () => {
    for (const snippet of snippets)
      if (snippet.mode.kind === "skip")
        expect(snippet.mode.reason.length, `README.md:${snippet.line}`).toBeGreaterThan(5);
  });
});

describe("saving .dev.vars while npm run dev runs", () => {
  it("with a provider restarts the worker, which then says the provider did not answer and what to do", async () => {
    const closed = await freePort();
    const before = output.length;
    appendFileSync(devVars, `\nOLLAMA_URL=http://127.0.0.1:${closed}\n`);
    await waitFor(() => output.slice(before).includes("Next step"), "the restarted worker's report", 120_000);
    const report = output.slice(before);
    expect(report).toContain(".dev.vars changed (OLLAMA_URL): restarting the worker.");
    expect(report).toMatch(/✗ ollama\s+did not answer/);
    expect(report).toContain("ollama serve");
    const health = (await (await fetch(`${apiUrl}/health`)).json()) as { notice?: string };
    expect(health.notice).toBeUndefined();
  }, 150_000);
});

describe("Ctrl-C", () => {
  it("stops every process npm run dev started, the restarted worker included, and frees its ports", async () => {
    const group = dev.pid ?? 0;
    const exited = new Promise((resolve) => dev.once("exit", resolve));
    process.kill(-group, "SIGINT"); // what a terminal sends the foreground group
    await exited;
    await waitFor(() => processGroup(group).length === 0, "the dev stack's processes to end", 30_000);
    const accepting = await Promise.all(
      Object.values(ports).map(
        (port) =>
          new Promise<number | undefined>((resolve) => {
            const socket = createConnection({ host: "127.0.0.1", port }, () => {
              socket.destroy();
              resolve(port);
            });
            socket.on("error", () => resolve(undefined));
          }),
      ),
    );
    expect(accepting.filter((port) => port !== undefined)).toEqual([]);
  }, 60_000);
});
