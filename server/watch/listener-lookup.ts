// Who listens on a TCP port: the LISTEN sockets of /proc/net/tcp{,6} on that port, then the process that
// holds one of their inodes among its fds (what `ss -ltnp` shows). Reading other users' fds needs root
// or the same user; a listener whose owner cannot be seen is reported as such.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { parseProcNetTcp, socketInode, TCP_LISTEN, type TcpRow } from './proc-net-tcp.ts';

export interface Listener {
  pid: number;
  command: string;
  /** The listening sockets' inodes: a restart gives new ones. */
  inodes: number[];
}

export type ListenerLookup = { found: Listener } | { found: null; listening: boolean };

export function readTcpTables(): TcpRow[] {
  const rows: TcpRow[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      rows.push(...parseProcNetTcp(readFileSync(file, 'latin1')));
    } catch {
      // no IPv6 on this machine: the other table is enough
    }
  }
  return rows;
}

export function listeningInodes(rows: TcpRow[], port: number): number[] {
  return rows.filter((r) => r.state === TCP_LISTEN && r.localPort === port && r.inode !== 0).map((r) => r.inode);
}

/** The process's command line, spaces between arguments, at most 200 characters. */
export function commandOf(pid: number): string {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
    if (raw) return raw.length > 200 ? raw.slice(0, 199) + '…' : raw;
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The thread-group leader of the first process (lowest pid) holding one of `inodes`. */
export function findOwner(inodes: number[], skipPid = process.pid): number | null {
  const wanted = new Set(inodes);
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number)
      .sort((a, b) => a - b);
  } catch {
    return null;
  }
  for (const pid of pids) {
    if (pid === skipPid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = socketInode(link);
      if (inode !== null && wanted.has(inode)) return pid;
    }
  }
  return null;
}

export function lookupListener(port: number): ListenerLookup {
  const inodes = listeningInodes(readTcpTables(), port);
  if (inodes.length === 0) return { found: null, listening: false };
  const pid = findOwner(inodes);
  if (pid === null) return { found: null, listening: true };
  return { found: { pid, command: commandOf(pid), inodes } };
}

/** Whether the listener is still the same: same inodes listening and the process alive. */
export function stillListening(listener: Listener, port: number): boolean {
  const now = new Set(listeningInodes(readTcpTables(), port));
  return listener.inodes.some((i) => now.has(i)) && processAlive(listener.pid);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}
