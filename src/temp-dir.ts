import { tmpdir } from 'node:os'

/** Where temporary files go: the runner's RUNNER_TEMP in a workflow (emptied after every job), the system's elsewhere. */
export function tempRoot(): string {
  return process.env['RUNNER_TEMP'] || tmpdir()
}
