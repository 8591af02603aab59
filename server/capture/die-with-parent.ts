// tcpdump must not outlive tcpscope. Killed with SIGKILL (or crashing), tcpscope cannot stop its child, and
// tcpdump would keep capturing until its next packet fails to write. Linux's PR_SET_PDEATHSIG is not reachable
// from Node, and tcpdump never reads its stdin, so an open stdin pipe alone would not tell it anything. So it is
// started under a small sh that holds the other end of a pipe from us: when that pipe closes (we exited, however
// that happened, or stop() closed it), a watcher in the sh kills tcpdump. Signals sent to the sh are passed on
// (SIGUSR1 too: it asks tcpdump for its drop counts, and left to sh's default it would end the sh);
// tcpdump's exit status (or signal) becomes the sh's, and a missing or non-executable program exits 127 / 126.
// The traps are set before the program starts: a SIGTERM that came between the two (a stop right after a
// start, as on a quick shutdown) ended the sh alone and left tcpdump running, holding our pipes open. One that
// reaches the program's fork before its exec is still lost (it runs the sh's trap there, which the exec
// forgets), so tcpdump-source.ts's stop sends it again, and past a grace sends KILL_PROGRAM_SIGNAL: the sh
// SIGKILLs the program (a SIGKILL to the sh itself would leave the program running, holding our pipes).
//
// The same sh can first enlarge the pipe the program writes into (its stdout): Linux lets any process resize
// a pipe it holds (fcntl F_SETPIPE_SZ, up to /proc/sys/fs/pipe-max-size, 1 MiB by default), but Node has no
// fcntl. Perl has, and is part of every Debian and Ubuntu (perl-base is Essential), so a few lines of it set the
// size, say on stderr what size the pipe has (PIPE_SIZE_LINE), and exec the program in their place: its pid,
// its signals and its exit status stay the program's own. Without perl, or when stdout is no pipe, the
// program runs as it is and says nothing.

/** Sent to the sh: it SIGKILLs the program (which then ends the sh, with the program's status). */
export const KILL_PROGRAM_SIGNAL = 'SIGUSR2';

/** The line the wrapper writes on the program's stderr: the size in bytes of the pipe it writes into (0: not a pipe). */
export const PIPE_SIZE_LINE = /^tcpscope-capture: pipe (\d+) bytes$/m;

// F_SETPIPE_SZ is 1031 and F_GETPIPE_SZ 1032 (linux/fcntl.h). exec's own failure keeps the sh's codes.
const PERL = `
my $want = 0 + shift @ARGV; # a number: a string would be passed as a pointer
fcntl(STDOUT, 1031, $want);
my $got = fcntl(STDOUT, 1032, 0);
printf STDERR "tcpscope-capture: pipe %d bytes\\n", $got || 0;
exec { $ARGV[0] } @ARGV;
exit($!{ENOENT} ? 127 : 126);
`;

const SCRIPT = `
n=$1; shift
command -v "$1" >/dev/null 2>&1 || { echo "$1: not found" >&2; exit 127; }
exec 3<&0
p= t=
trap 't=1; [ -n "$p" ] && kill -TERM $p 2>/dev/null' TERM INT HUP
trap '[ -n "$p" ] && kill -USR1 $p 2>/dev/null' USR1
trap '[ -n "$p" ] && kill -KILL $p 2>/dev/null' USR2
if [ "$n" -gt 0 ] && command -v perl >/dev/null 2>&1; then
  perl -e '${PERL}' "$n" "$@" 0</dev/null 3<&- &
else
  "$@" 0</dev/null 3<&- &
fi
p=$!
[ -n "$t" ] && kill -TERM $p 2>/dev/null
( read -r _ <&3; kill -TERM $p 2>/dev/null ) 0</dev/null &
w=$!
exec 3<&-
while :; do
  wait $p 2>/dev/null; s=$?
  kill -0 $p 2>/dev/null || break
done
kill $w 2>/dev/null
trap - TERM INT HUP USR1 USR2
if [ $s -gt 128 ]; then kill -$((s - 128)) $$; fi
exit $s
`;

/**
 * The command line that runs `argv` so that it dies with us; spawn it with a stdin pipe that is never written.
 * With `pipeBytes`, the pipe that is its stdout is first enlarged to that size where perl can (see above).
 */
export function dieWithParent(argv: readonly string[], opts: { pipeBytes?: number } = {}): [string, string[]] {
  return ['/bin/sh', ['-c', SCRIPT, 'tcpscope-capture', String(Math.max(0, Math.floor(opts.pipeBytes ?? 0))), ...argv]];
}

/** The spawn error the plain program would have given, from the sh's exit status (127 not found, 126 not executable). */
export function spawnErrorOf(code: number | null, program: string): NodeJS.ErrnoException | null {
  if (code !== 127 && code !== 126) return null;
  const errno = code === 127 ? 'ENOENT' : 'EACCES';
  return Object.assign(new Error(`spawn ${program} ${errno}`), { code: errno });
}
