import { describe, expect, it, jest } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { CommandFailed, CommandTimeout, CommandUnavailable, runCommand, streamCommand } from '../../../src/engine/command.js'
import { Deadline } from '../../../src/deadline.js'

const soon = () => Deadline.in(10_000)

async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return Buffer.concat(chunks).toString()
}

describe('runCommand', () => {
  it('captures both streams and the exit code, and leaves judging it to the caller', async () => {
    const result = await runCommand('sh', ['-c', 'echo out; echo err >&2; exit 3'], { deadline: soon() })
    expect(result).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' })
  }, 15_000)

  it('passes each line on as it arrives, a character split across chunks whole', async () => {
    const lines: string[] = []
    const script = "printf 'one\\n'; printf 'caf\\303'; sleep 0.2; printf '\\251\\n'; printf 'last'"
    await runCommand('sh', ['-c', script], { deadline: soon(), onLine: (line) => lines.push(line) })
    expect(lines).toEqual(['one', 'café', 'last'])
  }, 15_000)

  it('kills the whole process group at the deadline and names the command in one sentence', async () => {
    const marker = join(await mkdtemp(join(tmpdir(), 'isg-command-')), 'survived')
    const started = Date.now()
    // The grandchild outlives a plain kill of its parent; only the group kill stops it writing the marker.
    const attempt = runCommand('sh', ['-c', `(sleep 2; touch ${marker}) & sleep 30`], { deadline: Deadline.in(500) })
    await expect(attempt).rejects.toThrow(new CommandTimeout('sh', 500))
    await expect(attempt).rejects.toThrow('sh did not finish within 0.5 s')
    expect(Date.now() - started).toBeLessThan(5_000)
    await sleep(2_500)
    expect(existsSync(marker)).toBe(false)
  }, 15_000)

  it('says in one sentence that a program is not installed', async () => {
    await expect(runCommand('isg-no-such-program', [], { deadline: soon() })).rejects.toThrow(
      new CommandUnavailable('isg-no-such-program', Object.assign(new Error('spawn'), { code: 'ENOENT' }))
    )
    await expect(runCommand('isg-no-such-program', [], { deadline: soon() })).rejects.toThrow(
      'isg-no-such-program could not be run (not found)'
    )
  }, 15_000)
})

describe('streamCommand', () => {
  it('hands stdout to the reader as a stream', async () => {
    await expect(streamCommand('sh', ['-c', 'seq 1 3'], text, { deadline: soon() })).resolves.toBe('1\n2\n3\n')
  }, 15_000)

  it('fails with the command’s own complaint when it exits with an error', async () => {
    const attempt = streamCommand('sh', ['-c', 'echo partial; echo "no such image" >&2; exit 1'], text, { deadline: soon() })
    await expect(attempt).rejects.toThrow(new CommandFailed('sh', 1, 'no such image\n'))
  }, 15_000)

  it('prefers the command’s failure to the reader’s when the command cut the stream', async () => {
    const reader = async (stream: AsyncIterable<Uint8Array>) => {
      await text(stream)
      throw new Error('unexpected end of archive')
    }
    const attempt = streamCommand('sh', ['-c', 'echo "export refused" >&2; exit 1'], reader, { deadline: soon() })
    await expect(attempt).rejects.toThrow('sh failed (export refused)')
  }, 15_000)

  it('passes the reader’s error on, and stops the command it gave up on', async () => {
    const reader = async () => {
      throw new Error('not an image archive')
    }
    const started = Date.now()
    await expect(streamCommand('sh', ['-c', 'yes'], reader, { deadline: soon() })).rejects.toThrow('not an image archive')
    expect(Date.now() - started).toBeLessThan(5_000)
  }, 15_000)

  it('times out a stream that stalls, whatever the reader made of the cut', async () => {
    const attempt = streamCommand('sh', ['-c', 'echo start; sleep 30'], text, { deadline: Deadline.in(500) })
    await expect(attempt).rejects.toThrow(new CommandTimeout('sh', 500))
  }, 15_000)
})

describe('a signal to this process', () => {
  it('reaches the commands still running, whose groups do not hear it, and then acts on this process', async () => {
    const marker = join(await mkdtemp(join(tmpdir(), 'isg-signal-')), 'survived')
    const real = process.kill.bind(process)
    // This process's own re-raised signal is caught here, so the test runner lives on.
    const kill = jest.spyOn(process, 'kill').mockImplementation((pid, signal) => (pid === process.pid ? true : real(pid, signal)))
    const listeners = process.listenerCount('SIGTERM')
    try {
      const running = runCommand('sh', ['-c', `(sleep 2; touch ${marker}) & sleep 30`], { deadline: soon() })
      await sleep(300)
      process.emit('SIGTERM', 'SIGTERM')
      await expect(running).resolves.toMatchObject({ exitCode: -1 })
      expect(kill).toHaveBeenCalledWith(process.pid, 'SIGTERM')
      expect(process.listenerCount('SIGTERM')).toBe(listeners)
      await sleep(2_500)
      expect(existsSync(marker)).toBe(false)
    } finally {
      kill.mockRestore()
    }
  }, 15_000)
})
