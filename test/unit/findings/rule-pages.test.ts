import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { RULES } from '../../../src/findings/rule.js'

// Every rule a finding can carry has a page that its messages link to, in the shape every page shares.
const root = resolve(import.meta.dirname, '../../..')
const pagesDir = join(root, 'docs/rules')
const page = (rule: string) => readFileSync(join(pagesDir, `${rule}.md`), 'utf8')
const SECTIONS = ['## What it detects', '## Why it matters', '## How to fix it', '## How to turn it off or down']
const inputs = Object.keys((parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: object }).inputs)

/** The findings' sources: the code that can emit a rule names it in a `rule: '…'` property. */
const findingsCode = readdirSync(join(root, 'src/findings'))
  .filter((name) => name !== 'rule.ts')
  .map((name) => readFileSync(join(root, 'src/findings', name), 'utf8'))
  .join('\n')

/** The fenced blocks of one language in a page. */
function blocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((match) => match[1] ?? '')
}

describe('rule pages', () => {
  it('exist for every rule, and only for rules', () => {
    const pages = readdirSync(pagesDir).filter((name) => name !== 'README.md')
    expect(pages.sort()).toEqual(RULES.map((rule) => `${rule}.md`).sort())
  })

  it.each(RULES)('%s is a rule the findings emit', (rule) => {
    expect(findingsCode).toContain(`rule: '${rule}'`)
  })

  it.each(RULES)('%s: title, the four sections in order, a Dockerfile before and after', (rule) => {
    const markdown = page(rule)
    expect(markdown.split('\n')[0]).toBe(`# \`${rule}\``)
    const positions = SECTIONS.map((section) => markdown.indexOf(`\n${section}\n`))
    expect(positions.every((position) => position > 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    const fix = markdown.slice(positions[2], positions[3])
    expect(blocks(fix, 'dockerfile').length).toBeGreaterThanOrEqual(2)
  })

  it.each(RULES)('%s: every workflow snippet uses only inputs the action declares', (rule) => {
    for (const block of blocks(page(rule), 'yaml')) {
      const steps = parse(block) as Array<{ with?: Record<string, unknown> }> | { with?: Record<string, unknown> }
      for (const step of Array.isArray(steps) ? steps : [steps]) {
        for (const name of Object.keys(step.with ?? {})) expect(inputs).toContain(name)
      }
    }
  })

  it('are listed in the index and in the README, each linked', () => {
    const index = readFileSync(join(pagesDir, 'README.md'), 'utf8')
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    for (const rule of RULES) expect(index).toContain(`[\`${rule}\`](${rule}.md)`)
    for (const rule of RULES) expect(readme).toContain(`[\`${rule}\`](docs/rules/${rule}.md)`)
  })
})
