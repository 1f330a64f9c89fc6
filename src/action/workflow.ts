/** What both modes of the action say to the workflow through @actions/core: the log and the job summary. */
import * as core from '@actions/core'
import { messageOf } from '../errors.js'
import type { Log } from '../log.js'

export const actionLog: Log = {
  info: (line) => core.info(line),
  warning: (message) => core.warning(message),
  group: (title, body) => core.group(title, body)
}

/** The summary is cosmetic: failing to write it warns and never changes the verdict. */
export async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown, true).write()
  } catch (error) {
    core.warning(`could not write the job summary: ${messageOf(error)}`)
  }
}
