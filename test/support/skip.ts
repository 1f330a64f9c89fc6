import { it } from '@jest/globals'

type Body = () => unknown

/**
 * `it`, or, when `condition` holds, a skipped test whose name says why: a test that cannot run here
 * shows in the results as skipped with its reason, never as passed without asserting.
 */
export function skipIf(condition: boolean, reason: string): (name: string, body: Body, timeout?: number) => void {
  if (!condition) return (name, body, timeout) => it(name, async () => void (await body()), timeout)
  return (name, body, timeout) => it.skip(`${name} (skipped: ${reason})`, async () => void (await body()), timeout)
}
