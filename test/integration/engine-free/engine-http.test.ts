/**
 * The engine's socket read by engineGet, against a real HTTP server (Node's) on a unix socket: what Go's
 * server sends (chunked bodies, JSON refusals) and what a broken or hung engine does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { engineGet } from '../../../src/engine/engine-http.js'

let dir: string
let http: Server
let socket: string

const MiB = 1024 * 1024
/** 40 MiB of bytes that differ everywhere, so a lost or repeated piece changes the digest. */
const large = Buffer.alloc(40 * MiB)
for (let i = 0; i < large.length; i += 4) large.writeUInt32LE((i * 2654435761) >>> 0, i)
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isg-engine-http-'))
  socket = join(dir, 'engine.sock')
  http = createHttpServer((request, response) => {
    if (request.url === '/large') {
      // Go's server streams an export as chunks of 32 KiB; this writes pieces of odd sizes instead.
      response.writeHead(200, { 'Content-Type': 'application/x-tar' })
      let at = 0
      const more = () => {
        while (at < large.length) {
          const end = Math.min(at + 12_345 + (at % 40_000), large.length)
          const ok = response.write(large.subarray(at, end))
          at = end
          if (!ok) return void response.once('drain', more)
        }
        response.end()
      }
      more()
    } else if (request.url === '/sized') {
      response.writeHead(200, { 'Content-Length': '11' }).end('hello world')
    } else if (request.url === '/cut') {
      response.writeHead(200).write(large.subarray(0, MiB), () => response.socket?.destroy())
    } else if (request.url === '/hang') {
      response.writeHead(200).write('x')
    } else response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"No such image: nope"}\n')
  }).listen(socket)
  await new Promise((resolve) => http.once('listening', resolve))
})

afterAll(async () => {
  http.closeAllConnections()
  await new Promise((resolve) => http.close(resolve))
  await rm(dir, { recursive: true, force: true })
})

const read = async (path: string, signal = AbortSignal.timeout(30_000)) => {
  const response = await engineGet(socket, path, signal)
  const parts: Buffer[] = []
  for await (const part of response.body) parts.push(Buffer.from(part as Buffer))
  return { status: response.status, body: Buffer.concat(parts) }
}

describe('engineGet', () => {
  it('reads a chunked body of 40 MiB byte for byte', async () => {
    const { status, body } = await read('/large')
    expect(status).toBe(200)
    expect(body.length).toBe(large.length)
    expect(sha(body)).toBe(sha(large))
  })

  it('reads a body of a stated length, and a refusal with its status', async () => {
    expect((await read('/sized')).body.toString()).toBe('hello world')
    const refused = await read('/images/nope/get')
    expect(refused.status).toBe(404)
    expect(JSON.parse(refused.body.toString())).toEqual({ message: 'No such image: nope' })
  })

  it('fails the body when the engine closes the connection before the end of its response', async () => {
    await expect(read('/cut')).rejects.toThrow('the engine closed the connection before the end of its response')
  })

  it('keeps reading while the reader is slow, and hands on every byte once', async () => {
    const response = await engineGet(socket, '/large', AbortSignal.timeout(30_000))
    const hash = createHash('sha256')
    let bytes = 0
    for await (const part of response.body) {
      hash.update(part as Buffer)
      bytes += (part as Buffer).length
      if (bytes % (8 * MiB) < 65_536) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(hash.digest('hex')).toBe(sha(large))
  })

  it('ends with the signal when the engine hangs mid-body', async () => {
    await expect(read('/hang', AbortSignal.timeout(300))).rejects.toThrow(/timeout|aborted/i)
  })

  it('rejects when nothing listens on the socket, and when the answer is not HTTP', async () => {
    await expect(engineGet(join(dir, 'none.sock'), '/x', AbortSignal.timeout(5_000))).rejects.toThrow(/ENOENT|ECONNREFUSED/)
    const junk = createNetServer((connection) => connection.end('SSH-2.0-OpenSSH\r\n\r\n')).listen(join(dir, 'junk.sock'))
    await new Promise((resolve) => junk.once('listening', resolve))
    await expect(engineGet(join(dir, 'junk.sock'), '/x', AbortSignal.timeout(5_000))).rejects.toThrow(
      "the engine answered with 'SSH-2.0-OpenSSH', not an HTTP/1.1 status line"
    )
    junk.close()
  })
})

describe('engineGet, a reader far slower than the engine', () => {
  it('stops the socket at the bound and starts it again, to the last byte', async () => {
    const response = await engineGet(socket, '/large', AbortSignal.timeout(60_000))
    const hash = createHash('sha256')
    for await (const part of response.body) {
      hash.update(part as Buffer)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    expect(hash.digest('hex')).toBe(sha(large))
  })
})
