import { describe, expect, it, jest } from '@jest/globals'
import { mkdtemp } from 'node:fs/promises'
import { createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { engineVersion } from '../../../src/engine/docker.js'
import { UserError } from '../../../src/errors.js'

// 60 s for a test or hook: asking a healthy engine its version takes a second; the hung engine's test sets its own limit.
jest.setTimeout(60_000)

describe('engineVersion', () => {
  it('reports an engine that accepts connections and never answers, in one sentence', async () => {
    const socketPath = join(await mkdtemp(join(tmpdir(), 'isg-engine-')), 'docker.sock')
    const sockets: Socket[] = []
    const engine = createServer((socket) => void sockets.push(socket.resume()))
    await new Promise<void>((resolve) => engine.listen(socketPath, resolve))
    const saved = process.env['DOCKER_HOST']
    process.env['DOCKER_HOST'] = `unix://${socketPath}`
    try {
      const started = Date.now()
      await expect(engineVersion(1500)).rejects.toThrow(
        new UserError('Docker engine is not reachable (no answer within 1.5 s); start dockerd or point DOCKER_HOST at a running engine')
      )
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(sockets.length).toBeGreaterThanOrEqual(1)
    } finally {
      if (saved === undefined) delete process.env['DOCKER_HOST']
      else process.env['DOCKER_HOST'] = saved
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => engine.close(resolve))
    }
  }, 20_000)

  it('still reads the running engine’s version', async () => {
    await expect(engineVersion()).resolves.toMatch(/^\d+\.\d+/)
  })
})
