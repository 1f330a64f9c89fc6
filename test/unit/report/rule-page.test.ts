import { describe, expect, it } from '@jest/globals'
import type { Finding } from '../../../src/findings/finding.js'
import { findingBullet } from '../../../src/report/checks.js'
import { link } from '../../../src/report/markdown.js'
import { DEFAULT_RULE_PAGES, rulePage, rulePagesOf } from '../../../src/report/rule-page.js'
import { renderText } from '../../../src/report/text.js'
import { makeReport } from '../../support/report-builder.js'

const HOME = 'https://github.com/image-size-gate/image-size-gate/blob/main/docs/rules/'
const finding: Finding = { rule: 'root-user', severity: 'notice', message: 'the image runs as root (no USER is set)' }

describe('rulePagesOf', () => {
  it("links to the action's own repository at the ref the workflow asked for", () => {
    const pages = rulePagesOf({ GITHUB_ACTION_REPOSITORY: 'acme/size-gate', GITHUB_ACTION_REF: 'v0.3.1' })
    expect(rulePage(pages, 'root-user')).toBe('https://github.com/acme/size-gate/blob/v0.3.1/docs/rules/root-user.md')
  })

  it('keeps a branch with slashes as path segments and encodes the rest', () => {
    const pages = rulePagesOf({ GITHUB_ACTION_REPOSITORY: 'acme/size-gate', GITHUB_ACTION_REF: 'feature/a#b?c' })
    expect(pages.base).toBe('https://github.com/acme/size-gate/blob/feature/a%23b%3Fc/docs/rules/')
  })

  it.each([
    ['unset', {}],
    ['a local action (uses: ./) sets no repository', { GITHUB_ACTION_REPOSITORY: '', GITHUB_ACTION_REF: '' }],
    ['a repository that is not owner/name', { GITHUB_ACTION_REPOSITORY: 'evil.example/x/y', GITHUB_ACTION_REF: 'v0' }],
    ['a ref that climbs', { GITHUB_ACTION_REPOSITORY: 'acme/size-gate', GITHUB_ACTION_REF: '../../evil' }],
    ['a ref with a space', { GITHUB_ACTION_REPOSITORY: 'acme/size-gate', GITHUB_ACTION_REF: 'v0 ) [x](y' }]
  ])('falls back to the default branch when %s', (_, env) => {
    expect(rulePagesOf(env)).toEqual(DEFAULT_RULE_PAGES)
    expect(DEFAULT_RULE_PAGES.base).toBe(HOME)
  })
})

describe('link', () => {
  it('percent-encodes what could end the link or a table cell', () => {
    expect(link('<code>x</code>', 'https://example.com/a (b)|c[d]')).toBe('[<code>x</code>](https://example.com/a%20%28b%29%7Cc%5Bd%5D)')
  })

  it('refuses anything but https', () => {
    expect(() => link('x', 'javascript:alert(1)')).toThrow('a link must be https')
  })
})

describe('each finding links its rule to its page', () => {
  it('in the summary and the comment', () => {
    expect(findingBullet(finding, DEFAULT_RULE_PAGES)).toBe(
      `- ℹ️ [<code>root-user</code>](${HOME}root-user.md): the image runs as root (no USER is set)`
    )
  })

  it('in the terminal text, keeping the message as it was', () => {
    const text = renderText(makeReport({}, { findings: [finding] }), DEFAULT_RULE_PAGES)
    expect(text.split('\n').at(-1)).toBe(`notice: [root-user] the image runs as root (no USER is set) (${HOME}root-user.md)`)
  })
})
