/**
 * The README's inputs and outputs tables, made from action.yml: each table sits between two markers,
 * so `npm run readme` rewrites them and a unit test fails when the README and action.yml disagree.
 */
import { parse } from 'yaml'
import { codeSpan, escapeText, tableRow } from '../src/report/markdown.js'

interface ActionInput {
  description?: string
  default?: string
  required?: boolean
}

interface ActionMetadata {
  inputs?: Record<string, ActionInput>
  outputs?: Record<string, { description?: string }>
}

/** The two marked sections, by marker name. */
export const TABLES = ['inputs', 'outputs'] as const
export type TableName = (typeof TABLES)[number]

/** Each table's markdown, from action.yml's text. */
export function actionTables(actionYaml: string): Record<TableName, string> {
  const action = parse(actionYaml) as ActionMetadata
  const inputRows = Object.entries(action.inputs ?? {}).map(([name, input]) =>
    tableRow([codeSpan(name), defaultCell(input), escapeText(oneLine(input.description))])
  )
  const outputRows = Object.entries(action.outputs ?? {}).map(([name, output]) =>
    tableRow([codeSpan(name), escapeText(oneLine(output.description))])
  )
  return {
    inputs: ['| Input | Default | Description |', '| --- | --- | --- |', ...inputRows].join('\n'),
    outputs: ['| Output | Description |', '| --- | --- |', ...outputRows].join('\n')
  }
}

function defaultCell(input: ActionInput): string {
  if (input.required) return '_required_'
  return input.default === undefined || input.default === '' ? '' : codeSpan(input.default)
}

/** YAML folds long descriptions; a table cell is one line. */
function oneLine(text = ''): string {
  return text.trim().replace(/\s*\n\s*/g, ' ')
}

const start = (name: TableName) => `<!-- action-${name}: generated from action.yml by npm run readme -->`
const end = (name: TableName) => `<!-- /action-${name} -->`

/** The table as the README holds it between its markers; null when the markers are missing. */
export function tableIn(readme: string, name: TableName): string | null {
  const from = readme.indexOf(start(name))
  const to = readme.indexOf(end(name))
  if (from === -1 || to < from) return null
  return readme.slice(from + start(name).length, to).trim()
}

/** The README with each marked table replaced by the one made from action.yml. */
export function withTables(readme: string, tables: Record<TableName, string>): string {
  return TABLES.reduce((text, name) => {
    const current = tableIn(text, name)
    if (current === null) throw new Error(`README.md has no ${start(name)} … ${end(name)} section`)
    const from = text.indexOf(start(name)) + start(name).length
    return `${text.slice(0, from)}\n${tables[name]}\n${text.slice(text.indexOf(end(name)))}`
  }, readme)
}
