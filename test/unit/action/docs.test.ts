import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { parse } from 'yaml'

// What a first-time reader meets: a short README that starts with the answer, and docs whose links hold.
const root = resolve(import.meta.dirname, '../../..')
const read = (path: string) => readFileSync(join(root, path), 'utf8')
const readme = read('README.md')
const inputs = Object.keys((parse(read('action.yml')) as { inputs: object }).inputs)

function markdownFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`
    if (entry.isDirectory()) return markdownFiles(path)
    return entry.name.endsWith('.md') ? [path] : []
  })
}
const DOCUMENTS = ['README.md', 'CHANGELOG.md', 'CONTRIBUTING.md', 'SECURITY.md', ...markdownFiles('docs')]

/** Links to files of this repository: `[text](path#anchor)`, not URLs. */
function localLinks(markdown: string): { path: string; anchor: string }[] {
  const withoutCode = markdown.replace(/^```[\s\S]*?^```$/gm, '')
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] as string)
    .filter((target) => !/^[a-z]+:/.test(target))
    .map((target) => {
      const [path = '', anchor = ''] = target.split('#')
      return { path, anchor }
    })
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
function anchors(markdown: string): string[] {
  return [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((match) =>
    (match[1] as string)
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-')
  )
}

describe('the README', () => {
  it('is under 15 KB', () => {
    expect(Buffer.byteLength(readme)).toBeLessThan(15_000)
  })

  it('has the quick start YAML, using the action, within its first 40 lines', () => {
    const lines = readme.split('\n')
    const start = lines.indexOf('```yaml')
    const end = lines.indexOf('```', start)
    expect(start).toBeGreaterThan(0)
    expect(end).toBeLessThan(40)
    expect(lines.slice(start, end).join('\n')).toContain('uses: image-size-gate/image-size-gate@v0')
  })

  it('then gives the two set-up commands, the second being what CI runs', () => {
    const quickStartEnd = readme.indexOf('```\n', readme.indexOf('```yaml'))
    expect(readme.indexOf('bash scripts/example.sh')).toBeGreaterThan(quickStartEnd)
    expect(readme.indexOf('bash scripts/test.sh')).toBeGreaterThan(quickStartEnd)
    expect(read('.ci/run')).toContain('exec bash scripts/test.sh')
  })
})

describe.each(DOCUMENTS)('%s', (document) => {
  const markdown = read(document)

  it('links only to files and headings that exist', () => {
    for (const { path, anchor } of localLinks(markdown)) {
      const target = path === '' ? document : relative(root, resolve(root, dirname(document), path))
      expect({ link: `${path}#${anchor}`, exists: existsSync(join(root, target)) }).toEqual({ link: `${path}#${anchor}`, exists: true })
      if (anchor && target.endsWith('.md')) expect(anchors(read(target))).toContain(anchor)
    }
  })

  it('uses only inputs the action declares in its workflow snippets', () => {
    for (const block of markdown.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)) {
      const steps = JSON.stringify(parse(block[1] as string))
      for (const match of steps.matchAll(/"uses":"image-size-gate\/image-size-gate@[^"]*","with":(\{[^}]*\})/g)) {
        for (const name of Object.keys(JSON.parse(match[1] as string) as object)) expect(inputs).toContain(name)
      }
    }
  })
})
