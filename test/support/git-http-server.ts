/**
 * A real smart-HTTP git server on 127.0.0.1: a node http server that checks the Authorization header
 * GitHub's git server takes (Basic `x-access-token:TOKEN`) and hands every request to `git http-backend`
 * as CGI. A read token may fetch; only the write token may push, as with a fork's read-only GITHUB_TOKEN.
 *
 *   const server = await startGitHttpServer({ root, readToken: 'ghs_read', writeToken: 'ghs_write' })
 *   git clone http://127.0.0.1:PORT/origin.git   (server.url + '/origin.git')
 *   server.requests   // every request: method, path, service and which token it carried
 *   await server.close()
 */
import { spawn } from 'node:child_process'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface GitHttpOptions {
  /** The directory holding the bare repositories (GIT_PROJECT_ROOT). */
  root: string
  readToken: string
  writeToken: string
  /** Let requests without a token fetch, as a public repository does. */
  anonymousRead?: boolean
}

export type TokenKind = 'read' | 'write' | 'none' | 'wrong'

export interface GitRequest {
  method: string
  path: string
  service: 'upload-pack' | 'receive-pack'
  token: TokenKind
  status: number
}

export interface GitHttpServer {
  url: string
  readonly requests: GitRequest[]
  close(): Promise<void>
}

function tokenOf(request: IncomingMessage, options: GitHttpOptions): TokenKind {
  const header = request.headers.authorization
  if (!header) return 'none'
  const match = /^basic (.+)$/i.exec(header)
  const [user, token] = Buffer.from(match?.[1] ?? '', 'base64')
    .toString('utf8')
    .split(':')
  if (user !== 'x-access-token') return 'wrong'
  return token === options.writeToken ? 'write' : token === options.readToken ? 'read' : 'wrong'
}

function serviceOf(url: URL): 'upload-pack' | 'receive-pack' {
  const asked = url.searchParams.get('service') ?? url.pathname.split('/').pop() ?? ''
  return asked.endsWith('receive-pack') ? 'receive-pack' : 'upload-pack'
}

/** 401 without a usable token, 403 for a push with the read token, else null: go ahead. */
function refusal(token: TokenKind, service: GitRequest['service'], options: GitHttpOptions): number | null {
  if (token === 'wrong') return 401
  if (token === 'none') return service === 'upload-pack' && options.anonymousRead ? null : 401
  if (service === 'receive-pack' && token !== 'write') return 403
  return null
}

/** Runs `git http-backend` for one request, streaming the body in and its CGI answer out. */
function backend(request: IncomingMessage, response: ServerResponse, url: URL, options: GitHttpOptions, user: string): void {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    GIT_PROJECT_ROOT: options.root,
    GIT_HTTP_EXPORT_ALL: '1',
    REQUEST_METHOD: request.method,
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    CONTENT_TYPE: request.headers['content-type'] ?? '',
    REMOTE_ADDR: '127.0.0.1',
    GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
    HTTP_CONTENT_ENCODING: String(request.headers['content-encoding'] ?? '')
  }
  if (request.headers['content-length']) env['CONTENT_LENGTH'] = request.headers['content-length']
  // http-backend allows receive-pack only for an authenticated user.
  if (user) env['REMOTE_USER'] = user
  const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'ignore'] })
  request.pipe(child.stdin)
  let head = Buffer.alloc(0)
  let started = false
  child.stdout.on('data', (chunk: Buffer) => {
    if (started) return void response.write(chunk)
    head = Buffer.concat([head, chunk])
    const end = head.indexOf('\r\n\r\n')
    if (end < 0) return
    started = true
    writeHead(response, head.subarray(0, end).toString('latin1'))
    response.write(head.subarray(end + 4))
  })
  child.on('close', () => response.end())
  child.on('error', () => response.destroy())
}

function writeHead(response: ServerResponse, headers: string): void {
  let status = 200
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':')
    const [name, value] = [line.slice(0, colon).trim(), line.slice(colon + 1).trim()]
    if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0])
    else if (name) response.setHeader(name, value)
  }
  response.statusCode = status
}

export async function startGitHttpServer(options: GitHttpOptions): Promise<GitHttpServer> {
  const requests: GitRequest[] = []
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const token = tokenOf(request, options)
    const service = serviceOf(url)
    const refused = refusal(token, service, options)
    requests.push({ method: request.method ?? '', path: url.pathname, service, token, status: refused ?? 200 })
    if (refused === null) return backend(request, response, url, options, token === 'write' ? 'writer' : '')
    request.resume()
    if (refused === 401) response.setHeader('WWW-Authenticate', 'Basic realm="git"')
    response.statusCode = refused
    response.end(refused === 401 ? 'Bad credentials\n' : 'Permission to push denied\n')
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // Loopback only: the tests must never listen on any other address.
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
