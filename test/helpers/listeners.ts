import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface ListeningSocket {
  /** The address it is bound to, e.g. `127.0.0.1`, `0.0.0.0`, `::`, `::1`. */
  address: string;
  port: number;
  pid: number;
}

/** Every process's parent and process group, from `/proc/<pid>/stat`. */
function processes(): Map<number, { parent: number; group: number }> {
  const all = new Map<number, { parent: number; group: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [, parent, group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      all.set(Number(entry), { parent: Number(parent), group: Number(group) });
    } catch {
      // the process ended while we looked
    }
  }
  return all;
}

/** The processes of process group `group` (a child started with `detached: true` leads its own). */
export function processGroup(group: number): number[] {
  return [...processes()].filter(([, entry]) => entry.group === group).map(([pid]) => pid);
}

/** `pid` and every process below it. */
export function processTree(pid: number): number[] {
  const parents = new Map([...processes()].map(([child, entry]) => [child, entry.parent]));
  const tree = [pid];
  for (let i = 0; i < tree.length; i++)
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  return tree;
}

/** The TCP sockets in LISTEN state that `pids` hold, read from `/proc/net/tcp` and `/proc/net/tcp6`. */
export function listeningSockets(pids: readonly number[]): ListeningSocket[] {
  const owners = new Map<string, number>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode) owners.set(inode, pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  const sockets: ListeningSocket[] = [];
  for (const [file, decode] of [
    ["/proc/net/tcp", decodeIpv4],
    ["/proc/net/tcp6", decodeIpv6],
  ] as const) {
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, state, inode] = [fields[1], fields[3], fields[9]];
      if (!local || state !== "0A" || !inode) continue;
      const pid = owners.get(inode);
      if (pid === undefined) continue;
      const [hexAddress = "", hexPort = "0"] = local.split(":");
      sockets.push({ address: decode(hexAddress), port: Number.parseInt(hexPort, 16), pid });
    }
  }
  return sockets;
}

/** Whether a bound address is reachable from this machine only. */
export function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === "::1" || /^::ffff:127\./.test(address);
}

function decodeIpv4(hex: string): string {
  const bytes = hex.match(/../g) ?? [];
  return bytes
    .reverse()
    .map((byte) => Number.parseInt(byte, 16))
    .join(".");
}

function decodeIpv6(hex: string): string {
  // Four 32-bit words, each little-endian.
  const words = (hex.match(/.{8}/g) ?? []).map((word) => (word.match(/../g) ?? []).reverse().join(""));
  const groups = words.join("").match(/.{4}/g) ?? [];
  const text = groups.map((group) => Number.parseInt(group, 16).toString(16)).join(":");
  if (/^0:0:0:0:0:ffff:/.test(text)) {
    const tail = words[3] ?? "00000000";
    return `::ffff:${(tail.match(/../g) ?? []).map((byte) => Number.parseInt(byte, 16)).join(".")}`;
  }
  if (text === "0:0:0:0:0:0:0:0") return "::";
  if (text === "0:0:0:0:0:0:0:1") return "::1";
  return text;
}
