/**
 * Commands that wait on something outside this machine (a registry, a git remote, a hung engine):
 * each runs in its own process group with a time limit, and the whole group is killed when it
 * expires, so helpers it started (the buildx plugin, git-remote-http) cannot keep the job waiting.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { seconds } from '../duration.js'

export interface Finished {
  exitCode: number
  stdout: string
  stderr: string
}

export interface BoundedOptions {
  timeoutMs: number
  cwd?: string
  env?: NodeJS.ProcessEnv
}

/** Thrown when a bounded command did not finish in time; its process group has been killed. */
export class CommandTimeout extends Error {
  override readonly name = 'CommandTimeout'

  constructor(
    readonly command: string,
    readonly timeoutMs: number
  ) {
    super(`${command} gave no answer within ${seconds(timeoutMs)}`)
  }
}

/** Runs `command ARGS` (an argument array, never a shell string) and captures its output, for at most `timeoutMs`. */
export async function runBounded(command: string, args: string[], options: BoundedOptions): Promise<Finished> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  let timedOut = false
  const timer = setTimeout(
    () => {
      timedOut = true
      killGroup(child.pid)
    },
    Math.max(0, options.timeoutMs)
  )
  try {
    const closed = once(child, 'close') as Promise<[number | null]>
    const [code] = await Promise.race([closed, once(child, 'error').then(([error]) => Promise.reject(error as Error))])
    if (timedOut) throw new CommandTimeout([command, ...args.slice(0, 2)].join(' '), options.timeoutMs)
    return { exitCode: code ?? -1, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() }
  } finally {
    clearTimeout(timer)
  }
}

/** Kills the child's whole process group; it may already be gone. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // Already exited: nothing left to kill.
  }
}
