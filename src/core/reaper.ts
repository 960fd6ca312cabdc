/**
 * What pushcheck starts must not outlive it, however it ends. A normal end and a signal are handled where
 * things are started (each is stopped in a `finally`); a SIGKILL runs no code of pushcheck's at all. So a
 * small watchdog (a shell, a megabyte or two) is told over a pipe what pushcheck has started: process groups,
 * containers, temporary folders. When the pipe closes without pushcheck having said it cleaned up, pushcheck is
 * gone, and the watchdog stops the groups (SIGTERM, then SIGKILL a second later), removes the containers and the
 * folders, and exits. This is what testcontainers' Ryuk does for containers, for everything pushcheck starts.
 */
import { type ChildProcess, spawn } from 'node:child_process';

// One entry a line: `group PGID`, `container ID`, `path PATH`, each undone by `un…` once pushcheck has cleaned
// it up itself. At the pipe's end, whatever is still listed goes: after a normal end, nothing.
const WATCHDOG = `
groups=; containers=; paths=
nl='
'
drop() { out=; old=$IFS; IFS=$nl; for x in $1; do [ "$x" = "$2" ] || out="$out$nl$x"; done; IFS=$old; printf '%s' "$out"; }
while IFS= read -r line; do
  verb=\${line%% *}; arg=\${line#* }
  case $verb in
    group) groups="$groups$nl$arg" ;;
    ungroup) groups=$(drop "$groups" "$arg") ;;
    container) containers="$containers$nl$arg" ;;
    uncontainer) containers=$(drop "$containers" "$arg") ;;
    path) paths="$paths$nl$arg" ;;
    unpath) paths=$(drop "$paths" "$arg") ;;
  esac
done
IFS=$nl
for g in $groups; do kill -TERM "-$g" 2>/dev/null; done
[ -n "$groups" ] && sleep 1
for g in $groups; do kill -KILL "-$g" 2>/dev/null; done
for c in $containers; do
  if command -v timeout >/dev/null 2>&1; then timeout 20 docker rm -f -v "$c"; else docker rm -f -v "$c"; fi >/dev/null 2>&1
done
for p in $paths; do rm -rf -- "$p"; done
`;

let watchdog: ChildProcess | undefined;

function tell(line: string): void {
  if (!watchdog) {
    watchdog = spawn('sh', ['-c', WATCHDOG], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    // Where there is no shell (a container image of Node alone), there is no watchdog: a container's processes
    // end with its first one anyway.
    watchdog.on('error', () => undefined);
    // pushcheck's own exit must not wait for it: its end of the pipe closing is the signal.
    watchdog.unref();
    const pipe = watchdog.stdin as unknown as import('node:net').Socket;
    pipe.on('error', () => undefined);
    pipe.unref();
  }
  watchdog.stdin?.write(`${line.replace(/\n/g, ' ')}\n`);
}

/**
 * The things a watchdog cleans up if pushcheck dies without doing it. Each `add…` returns the function that
 * says it was cleaned up in order.
 */
export const reaper = {
  /** A process group (a detached child's pid), stopped if pushcheck dies first. */
  group(pgid: number): () => void {
    tell(`group ${pgid}`);
    return () => tell(`ungroup ${pgid}`);
  },
  /** A container, removed if pushcheck dies first. */
  container(id: string): () => void {
    tell(`container ${id}`);
    return () => tell(`uncontainer ${id}`);
  },
  /** A temporary file or folder, removed if pushcheck dies first. */
  path(path: string): () => void {
    tell(`path ${path}`);
    return () => tell(`unpath ${path}`);
  },
};
