/**
 * An error the user can act on. Its message is one sentence that names the input,
 * file or stage at fault; the run() boundary prints it without a stack trace.
 */
export class UserError extends Error {
  override readonly name = 'UserError'
}

/** The first non-blank line of a text (a command's complaint, a multi-line error), for one-line messages. */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  )
}

/** Turns anything thrown into a message, without assuming it is an Error. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
