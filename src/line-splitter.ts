import { StringDecoder } from 'node:string_decoder'

/** Thrown when a line grows past the splitter's bound: the stream is not the line-based text it was taken for. */
export class LineTooLong extends Error {
  override readonly name = 'LineTooLong'
}

/**
 * Splits streamed text into lines; a character split across two chunks is decoded whole. With
 * `maxLineChars`, a line that grows past it throws LineTooLong, so untrusted text cannot hold memory.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private rest = ''

  constructor(
    private readonly emit: (line: string) => void,
    private readonly maxLineChars = Infinity
  ) {}

  push(data: Uint8Array): void {
    const lines = (this.rest + this.decoder.write(data as Buffer)).split('\n')
    this.rest = lines.pop() ?? ''
    if (this.rest.length > this.maxLineChars) throw new LineTooLong(`a line is longer than ${this.maxLineChars} characters`)
    for (const line of lines) {
      if (line.length > this.maxLineChars) throw new LineTooLong(`a line is longer than ${this.maxLineChars} characters`)
      this.emit(line)
    }
  }

  flush(): void {
    const last = this.rest + this.decoder.end()
    if (last) this.emit(last)
    this.rest = ''
  }
}
