// tcpdump must not outlive tcpscope. Killed with SIGKILL (or crashing), tcpscope cannot stop its child, and
// tcpdump would keep capturing until its next packet fails to write. Linux's PR_SET_PDEATHSIG is not reachable
// from Node, and tcpdump never reads its stdin, so an open stdin pipe alone would not tell it anything. So it is
// started under a small sh that holds the other end of a pipe from us: when that pipe closes (we exited, however
// that happened, or stop() closed it), a watcher in the sh kills tcpdump. Signals sent to the sh are passed on
// (SIGUSR1 too: it asks tcpdump for its drop counts, and left to sh's default it would end the sh);
// tcpdump's exit status (or signal) becomes the sh's, and a missing or non-executable program exits 127 / 126.

const SCRIPT = `
command -v "$1" >/dev/null 2>&1 || { echo "$1: not found" >&2; exit 127; }
exec 3<&0
"$@" 0</dev/null 3<&- &
p=$!
trap 'kill -TERM $p 2>/dev/null' TERM INT HUP
trap 'kill -USR1 $p 2>/dev/null' USR1
( read -r _ <&3; kill -TERM $p 2>/dev/null ) 0</dev/null &
w=$!
exec 3<&-
while :; do
  wait $p 2>/dev/null; s=$?
  kill -0 $p 2>/dev/null || break
done
kill $w 2>/dev/null
trap - TERM INT HUP USR1
if [ $s -gt 128 ]; then kill -$((s - 128)) $$; fi
exit $s
`;

/** The command line that runs `argv` so that it dies with us; spawn it with a stdin pipe that is never written. */
export function dieWithParent(argv: readonly string[]): [string, string[]] {
  return ['/bin/sh', ['-c', SCRIPT, 'tcpscope-capture', ...argv]];
}

/** The spawn error the plain program would have given, from the sh's exit status (127 not found, 126 not executable). */
export function spawnErrorOf(code: number | null, program: string): NodeJS.ErrnoException | null {
  if (code !== 127 && code !== 126) return null;
  const errno = code === 127 ? 'ENOENT' : 'EACCES';
  return Object.assign(new Error(`spawn ${program} ${errno}`), { code: errno });
}
