import * as core from '@actions/core'
import { UserError, messageOf } from './errors.js'
import { runGate, type Annotation, type GateResult } from './gate.js'
import { Output, parseInputs } from './inputs.js'
import type { Log } from './log.js'
import { renderMarkdown, verdictLine } from './render.js'
import { defaultReportPath, writeReportFile } from './report-file.js'

const actionLog: Log = {
  info: (line) => core.info(line),
  warning: (message) => core.warning(message),
  group: (title, body) => core.group(title, body)
}

/** Reads inputs, runs the gate, reports, and only then fails the job if the gate says so. */
export async function run(): Promise<void> {
  try {
    const inputs = parseInputs((name) => core.getInput(name))
    const result = await runGate(inputs, actionLog)
    const reportPath = await writeReportFile(result.report, defaultReportPath())
    setOutputs(result, reportPath)
    annotate(result.annotations)
    await writeSummary(result)
    if (!result.report.passed) core.setFailed(verdictLine(result.report))
  } catch (error) {
    if (!(error instanceof UserError) && error instanceof Error && error.stack) core.debug(error.stack)
    core.setFailed(messageOf(error))
  }
}

function setOutputs(result: GateResult, reportPath: string): void {
  const { image, goToolchain, passed } = result.report
  core.setOutput(Output.ImageId, image.id)
  core.setOutput(Output.Size, image.size)
  core.setOutput(Output.CompressedSize, image.compressedSize ?? '')
  core.setOutput(Output.Layers, image.layers.length)
  core.setOutput(Output.GoToolchain, goToolchain.found)
  core.setOutput(Output.Passed, passed)
  core.setOutput(Output.Report, reportPath)
}

function annotate(annotations: Annotation[]): void {
  for (const annotation of annotations) {
    const properties: core.AnnotationProperties = { title: 'image-size-gate' }
    if (annotation.file) properties.file = annotation.file
    if (annotation.line !== undefined) properties.startLine = annotation.line
    if (annotation.severity === 'error') core.error(annotation.message, properties)
    else if (annotation.severity === 'warning') core.warning(annotation.message, properties)
    else core.notice(annotation.message, properties)
  }
}

/** The summary is cosmetic: failing to write it warns and never changes the verdict. */
async function writeSummary(result: GateResult): Promise<void> {
  try {
    await core.summary.addRaw(renderMarkdown(result.report), true).write()
  } catch (error) {
    core.warning(`could not write the job summary: ${messageOf(error)}`)
  }
}
