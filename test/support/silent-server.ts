/**
 * A TCP listener on 127.0.0.1 that accepts every connection, reads what it is sent and never answers:
 * a hung API, registry or git server, as seen from the client.
 *
 *   const silent = await startSilentServer()
 *   … use silent.url (http://127.0.0.1:PORT) or silent.port …
 *   silent.connections   // how many clients connected
 *   silent.open          // how many are still connected
 *   await silent.close()
 */
import { createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export interface SilentServer {
  port: number
  url: string
  /** Connections accepted so far. */
  readonly connections: number
  /** Connections still open: a client that was killed has closed its own. */
  readonly open: number
  close(): Promise<void>
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>()
  let connections = 0
  const server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
    socket.resume()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // Loopback only: the tests must never listen on any other address.
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections
    },
    get open() {
      return sockets.size
    },
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
