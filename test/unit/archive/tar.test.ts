import { describe, expect, it } from '@jest/globals'
import { TarFormatError, TarParser, type TarHeader } from '../../../src/archive/tar.js'
import { makeTar } from '../../support/tar-writer.js'

async function parse(data: Buffer, chunkSize: number): Promise<{ header: TarHeader; body: string }[]> {
  const seen: { header: TarHeader; body: string }[] = []
  const parser = new TarParser((header) => {
    const record = { header, body: '' }
    seen.push(record)
    return { write: (chunk) => void (record.body += Buffer.from(chunk).toString()), end: () => undefined }
  })
  for (let offset = 0; offset < data.length; offset += chunkSize) await parser.push(data.subarray(offset, offset + chunkSize))
  await parser.end()
  return seen
}

const longPath = `usr/share/${'deep/'.repeat(30)}file.txt`
const archive = makeTar([
  { path: 'etc/', type: 'directory' },
  { path: 'etc/hostname', content: 'box\n' },
  { path: './bin/app', content: 'x'.repeat(1300), mode: 0o755 },
  { path: 'bin/link', type: 'symlink', linkname: '/bin/app' },
  { path: 'bin/hard', type: 'hardlink', linkname: 'bin/app' },
  { path: longPath, content: 'pax', pax: true },
  { path: `${longPath}.gnu`, content: 'gnu', gnuLongName: true },
  { path: 'empty', content: '' }
])

describe('TarParser', () => {
  it.each([1, 7, 511, 512, 513, 4096, archive.length])('reads the same entries with %d-byte chunks', async (size) => {
    const entries = await parse(archive, size)
    expect(entries.map((entry) => [entry.header.path, entry.header.type, entry.header.size])).toEqual([
      ['etc', 'directory', 0],
      ['etc/hostname', 'file', 4],
      ['bin/app', 'file', 1300],
      ['bin/link', 'symlink', 0],
      ['bin/hard', 'hardlink', 0],
      [longPath, 'file', 3],
      [`${longPath}.gnu`, 'file', 3],
      ['empty', 'file', 0]
    ])
    expect(entries[1]?.body).toBe('box\n')
    expect(entries[2]?.body).toBe('x'.repeat(1300))
    expect(entries[2]?.header.mode).toBe(0o755)
    expect(entries[3]?.header.linkname).toBe('/bin/app')
    expect(entries[5]?.body).toBe('pax')
  })

  it('counts every byte it consumed', async () => {
    const parser = new TarParser(() => undefined)
    await parser.push(archive)
    expect(parser.bytesRead).toBe(archive.length)
  })

  it('rejects bytes that are not tar', async () => {
    const parser = new TarParser(() => undefined)
    await expect(parser.push(Buffer.alloc(512, 0x41))).rejects.toThrow(TarFormatError)
  })

  it('names a number field that is not octal by its bytes in hex, never by its text', async () => {
    const header = Buffer.from(archive.subarray(0, 512))
    header.write('9\n::error::', 124, 'latin1')
    header.fill(' ', 148, 156)
    const sum = header.reduce((total, byte) => total + byte, 0)
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
    const parser = new TarParser(() => undefined)
    await expect(parser.push(header)).rejects.toThrow('tar header has a number field that is not octal (bytes 390a3a3a6572726f723a3a00)')
  })

  it('rejects a stream cut inside an entry', async () => {
    const parser = new TarParser(() => undefined)
    await parser.push(archive.subarray(0, 1024 + 700))
    await expect(parser.end()).rejects.toThrow('tar stream ended in the middle of an entry')
  })

  it('awaits asynchronous sinks before reading on', async () => {
    const order: string[] = []
    const parser = new TarParser((header) => ({
      write: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5))
        order.push(`write ${header.path}`)
      },
      end: () => void order.push(`end ${header.path}`)
    }))
    await parser.push(
      makeTar([
        { path: 'a', content: '1' },
        { path: 'b', content: '2' }
      ])
    )
    await parser.end()
    expect(order).toEqual(['write a', 'end a', 'write b', 'end b'])
  })
})
