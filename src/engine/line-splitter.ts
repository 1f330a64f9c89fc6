import { StringDecoder } from 'node:string_decoder'

/** Splits streamed output into lines; a character split across two chunks is decoded whole. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private rest = ''

  constructor(private readonly emit: (line: string) => void) {}

  push(data: Buffer): void {
    const lines = (this.rest + this.decoder.write(data)).split('\n')
    this.rest = lines.pop() ?? ''
    for (const line of lines) this.emit(line)
  }

  flush(): void {
    const last = this.rest + this.decoder.end()
    if (last) this.emit(last)
    this.rest = ''
  }
}
