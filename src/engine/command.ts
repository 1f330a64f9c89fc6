/**
 * The one way this action runs a program: an argument array (never a shell string), in its own process
 * group, against a deadline. When the deadline passes the whole group is killed and the call fails with
 * one sentence naming the command. Output is captured, passed on line by line (a build's progress), or
 * handed to a reader as a byte stream (`docker save`).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { once } from 'node:events'
import type { Readable } from 'node:stream'
import type { Deadline } from '../deadline.js'
import { seconds } from '../duration.js'
import { firstLine, messageOf } from '../errors.js'
import { LineSplitter } from '../line-splitter.js'
import { killGroup, trackGroup } from './process-group.js'

export interface Finished {
  exitCode: number
  stdout: string
  stderr: string
}

export interface CommandOptions {
  /** When the command must be done; its process group is killed then. */
  deadline: Deadline
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Each line of stdout and stderr as it arrives, e.g. a build's progress for the log. */
  onLine?: (line: string) => void
}

/** Thrown when a command did not finish before its deadline; its process group has been killed. */
export class CommandTimeout extends Error {
  override readonly name = 'CommandTimeout'

  constructor(
    readonly command: string,
    readonly timeoutMs: number
  ) {
    super(`${command} did not finish within ${seconds(timeoutMs)}`)
  }
}

/** Thrown when the program could not be started at all: not installed, or not executable. */
export class CommandUnavailable extends Error {
  override readonly name = 'CommandUnavailable'
  /** Why, e.g. `not found`. */
  readonly reason: string

  constructor(command: string, error: unknown) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : messageOf(error)
    super(`${command} could not be run (${reason})`)
    this.reason = reason
  }
}

/** Thrown when a command whose output was being read exited with an error; its stderr says why. */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed'

  constructor(
    readonly command: string,
    readonly exitCode: number,
    readonly stderr: string
  ) {
    super(`${command} failed (${firstLine(stderr) || `exit code ${exitCode}`})`)
  }
}

/** Runs the command to its end and captures its output; a non-zero exit code is the caller's to judge. */
export async function runCommand(command: string, args: string[], options: CommandOptions): Promise<Finished> {
  const running = start(command, args, options)
  const stdout = collect(running.child.stdout, options.onLine)
  const stderr = collect(running.child.stderr, options.onLine)
  const exitCode = await running.closed
  running.checkDeadline()
  return { exitCode, stdout: stdout(), stderr: stderr() }
}

/**
 * Hands the command's stdout to `consume` as it is written. A command that exits with an error fails
 * with CommandFailed; if it did so before `consume` gave up on the cut stream, that is the better reason.
 */
export async function streamCommand<T>(
  command: string,
  args: string[],
  consume: (stdout: Readable) => Promise<T>,
  options: CommandOptions
): Promise<T> {
  const running = start(command, args, options)
  const stderr = collect(running.child.stderr)
  const failed = (exitCode: number) => new CommandFailed(running.name, exitCode, stderr())
  try {
    const result = await consume(running.child.stdout)
    const exitCode = await running.closed
    running.checkDeadline()
    if (exitCode !== 0) throw failed(exitCode)
    return result
  } catch (error) {
    if (error instanceof CommandFailed || error instanceof CommandTimeout) throw error
    // A stream that ended was closed by the command itself, so its exit code tells whether it failed first.
    const ended = running.child.stdout.readableEnded
    if (!ended) killGroup(running.child.pid)
    const exitCode = await running.closed
    running.checkDeadline()
    throw ended && exitCode !== 0 && stderr() !== '' ? failed(exitCode) : error
  }
}

interface Running {
  /** The command as messages name it. */
  name: string
  child: ChildProcessByStdio<null, Readable, Readable>
  /** The exit code once every stream has closed (-1 when killed); rejects when the program could not start. */
  closed: Promise<number>
  /** Throws CommandTimeout when the deadline killed the command. */
  checkDeadline(): void
}

/** setTimeout takes at most a signed 32-bit count of milliseconds (24.8 days); a longer wait would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** `docker buildx build`, `git fetch`: the program and the subcommand words before the first option. */
function nameOf(command: string, args: string[]): string {
  const words = args.slice(0, 2)
  const option = words.findIndex((arg) => arg.startsWith('-'))
  return [command, ...(option === -1 ? words : words.slice(0, option))].join(' ')
}

function start(command: string, args: string[], options: CommandOptions): Running {
  const name = nameOf(command, args)
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  trackGroup(child)
  let timedOut = false
  const kill = () => {
    timedOut = true
    killGroup(child.pid)
  }
  const timer = setTimeout(kill, Math.min(options.deadline.left(), MAX_TIMER_MS))
  const closed = (once(child, 'close') as Promise<[number | null]>).then(
    ([code]) => code ?? -1,
    (error: unknown) => Promise.reject(new CommandUnavailable(command, error))
  )
  // Settled by the caller's await; this only keeps an early spawn failure from counting as unhandled.
  closed.catch(() => undefined).finally(() => clearTimeout(timer))
  const checkDeadline = () => {
    if (timedOut) throw new CommandTimeout(name, options.deadline.ms)
  }
  return { name, child, closed, checkDeadline }
}

/** Keeps what a stream writes, passing each line on as it completes; the text is read once the command has closed. */
function collect(stream: Readable, onLine?: (line: string) => void): () => string {
  const chunks: Buffer[] = []
  const lines = onLine ? new LineSplitter(onLine) : undefined
  stream.on('data', (chunk: Buffer) => {
    chunks.push(chunk)
    lines?.push(chunk)
  })
  stream.on('end', () => lines?.flush())
  return () => Buffer.concat(chunks).toString('utf8')
}
