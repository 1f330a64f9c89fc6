import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { actionTables, tableIn, withTables, TABLES } from '../../../scripts/action-tables.js'

// The README's inputs and outputs tables are action.yml's, made by `npm run readme`.
const root = resolve(import.meta.dirname, '../../..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const tables = actionTables(readFileSync(join(root, 'action.yml'), 'utf8'))

const SAMPLE = `
inputs:
  max-size:
    description: |
      Size budget,
      e.g. 25MB | 25MiB.
    default: 25MB
  token:
    description: A token.
    required: true
outputs:
  size:
    description: Bytes.
`

describe('the README tables', () => {
  it.each(TABLES)('%s: the README holds exactly the table made from action.yml (run npm run readme)', (name) => {
    expect(tableIn(readme, name)).toBe(tables[name])
  })

  it('name every input and output once, in one table each', () => {
    expect(readme.split('| Input | Default | Description |').length).toBe(2)
    expect(readme.split('| Output | Description |').length).toBe(2)
  })
})

describe('actionTables', () => {
  const sample = actionTables(SAMPLE)

  it('gives each input its name, default and description on one line, a pipe kept inside its cell', () => {
    expect(sample.inputs.split('\n')).toEqual([
      '| Input | Default | Description |',
      '| --- | --- | --- |',
      '| <code>max-size</code> | <code>25MB</code> | Size budget, e.g. 25MB &#124; 25MiB. |',
      '| <code>token</code> | _required_ | A token. |'
    ])
    expect(sample.outputs.split('\n').at(-1)).toBe('| <code>size</code> | Bytes. |')
  })

  it('replaces only what is between the markers, and says when they are missing', () => {
    const before = '# x\n<!-- action-inputs: generated from action.yml by npm run readme -->\nold\n<!-- /action-inputs -->\nkept\n'
    const both = `${before}<!-- action-outputs: generated from action.yml by npm run readme -->\n<!-- /action-outputs -->\n`
    const after = withTables(both, sample)
    expect(tableIn(after, 'inputs')).toBe(sample.inputs)
    expect(after).toContain('<!-- /action-inputs -->\nkept\n')
    expect(() => withTables(before, sample)).toThrow('README.md has no <!-- action-outputs')
  })
})
