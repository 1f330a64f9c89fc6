import { describe, expect, it } from '@jest/globals'
import { ChunkedBody, decoderFor, type BodyDecoder } from '../../../src/engine/http-body.js'

/** Feeds `wire` to the decoder in pieces of `step` bytes; returns the body it handed on. */
function decode(decoder: BodyDecoder, wire: Buffer, step: number): Buffer {
  const out: Buffer[] = []
  for (let at = 0; at < wire.length; at += step) {
    decoder.feed(wire.subarray(at, at + step), (piece) => out.push(Buffer.from(piece)) > 0)
  }
  return Buffer.concat(out)
}

const body = Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(40))
const chunked = (sizes: number[], extra = { extension: '', trailer: '' }): Buffer => {
  const parts: Buffer[] = []
  let at = 0
  for (const size of sizes) {
    parts.push(Buffer.from(`${size.toString(16)}${extra.extension}\r\n`), body.subarray(at, at + size), Buffer.from('\r\n'))
    at += size
  }
  parts.push(Buffer.from(`0\r\n${extra.trailer}\r\n`))
  return Buffer.concat(parts)
}

describe('ChunkedBody', () => {
  it('hands on the body however the wire is split, and knows when it is complete', () => {
    const wire = chunked([1, 700, 99, body.length - 800], { extension: ';name=value', trailer: 'X-Trailer: yes\r\n' })
    for (const step of [1, 2, 3, 7, 64, 1000, wire.length]) {
      const decoder = new ChunkedBody()
      expect(decode(decoder, wire, step).equals(body)).toBe(true)
      expect(decoder.done).toBe(true)
    }
  })

  it('is not complete until the last chunk and the empty line after the trailers', () => {
    const wire = chunked([body.length])
    const decoder = new ChunkedBody()
    decode(decoder, wire.subarray(0, wire.length - 2), 50)
    expect(decoder.done).toBe(false)
  })

  it('hands on views of the bytes it is fed, not copies', () => {
    const wire = chunked([body.length])
    const pieces: Buffer[] = []
    new ChunkedBody().feed(wire, (piece) => pieces.push(piece) > 0)
    expect(pieces).toHaveLength(1)
    expect(pieces[0]?.buffer).toBe(wire.buffer)
  })

  it('says when the reader asked to stop', () => {
    expect(new ChunkedBody().feed(chunked([10]), () => false)).toBe(false)
    expect(new ChunkedBody().feed(chunked([10]), () => true)).toBe(true)
  })

  it.each([
    ['a size that is not hex', Buffer.from('zz\r\nhello\r\n'), "the engine sent 'zz' as a chunk size"],
    ['data longer than its size', Buffer.from('2\r\nhello\r\n'), 'the engine sent chunk data longer than its size'],
    ['a size line without end', Buffer.from('1'.repeat(5000)), 'the engine sent a chunk-size line of over 4096 bytes'],
    ['a size past 2^48', Buffer.from('1000000000000\r\n'), "the engine sent '1000000000000' as a chunk size"]
  ])('refuses %s', (_name, wire, message) => {
    expect(() => new ChunkedBody().feed(wire, () => true)).toThrow(message)
  })
})

describe('decoderFor', () => {
  it('takes Content-Length bytes and no more', () => {
    const decoder = decoderFor(new Map([['content-length', '5']]))
    expect(decode(decoder, Buffer.from('hello world'), 3).toString()).toBe('hello')
    expect(decoder.done).toBe(true)
  })

  it('reads to the close when the response has no length', () => {
    const decoder = decoderFor(new Map())
    expect(decode(decoder, Buffer.from('hello world'), 4).toString()).toBe('hello world')
    expect(decoder.endsAtClose).toBe(true)
  })

  it('refuses a transfer coding it cannot undo and a length that is not a number', () => {
    expect(() => decoderFor(new Map([['transfer-encoding', 'gzip']]))).toThrow("the engine's response has transfer-encoding 'gzip'")
    expect(() => decoderFor(new Map([['content-length', '-1']]))).toThrow("the engine's response has content-length '-1'")
  })
})
