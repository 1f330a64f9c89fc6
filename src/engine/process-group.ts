/**
 * Each command runs as the leader of its own process group, so the helpers it starts (the buildx
 * plugin, git-remote-http) are killed with it. A group does not hear this process's Ctrl-C or the
 * runner's cancel, so the groups still running are sent the same signal, or killed when this process exits.
 */
import type { ChildProcess } from 'node:child_process'

const running = new Set<number>()
const FORWARDED = ['SIGINT', 'SIGTERM'] as const

/** Kills the group led by `pid`; it may already be gone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch {
    // Already exited: nothing left to kill.
  }
}

/** Keeps `child`'s group on the list of groups to stop with this process until it closes. */
export function trackGroup(child: ChildProcess): void {
  const pid = child.pid
  if (pid === undefined) return
  if (running.size === 0) listen(true)
  running.add(pid)
  child.once('close', () => {
    running.delete(pid)
    if (running.size === 0) listen(false)
  })
}

function listen(on: boolean): void {
  for (const signal of FORWARDED) {
    if (on) process.on(signal, forward)
    else process.removeListener(signal, forward)
  }
  if (on) process.on('exit', killAll)
  else process.removeListener('exit', killAll)
}

/** Passes the signal on to every group, then lets it act on this process as it would have. */
function forward(signal: NodeJS.Signals): void {
  for (const pid of running) killGroup(pid, signal)
  listen(false)
  process.kill(process.pid, signal)
}

function killAll(): void {
  for (const pid of running) killGroup(pid)
}
