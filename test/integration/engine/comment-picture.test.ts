import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { BUILD_TIMEOUT, buildGoFixtures, GOMOD } from '../../support/go-fixtures.js'
import { ENGINE, ROOT, runAction } from '../../support/action-runner.js'
import { launchChromium } from '../../support/chromium.js'
import { renderComment, type RenderedComment } from '../../support/comment-picture.js'
import { makePullRequestRepo } from '../../support/git-fixture.js'
import { FakeGitHubServer } from '../../support/github-server.js'

// 180 s for a test or hook: a base and a head Go image built and compared, 20 s at most on a loaded 2-core machine.
jest.setTimeout(180_000)

// The README's picture: the comment the bundle really posts on a pull request whose Go binary gains a module,
// rendered as GitHub renders it. scripts/comment-picture.sh sets ISG_COMMENT_PICTURE to write it to docs/.
const TOKEN = 'ghs_testtoken0123456789'
const PR = { owner: 'octo-org', repo: 'service', number: 51 }
const PICTURE = process.env['ISG_COMMENT_PICTURE']
const RULE_PAGE = /^https:\/\/github\.com\/image-size-gate\/image-size-gate\/blob\/main\/docs\/rules\/([a-z-]+)\.md$/

const image = (binary: string) => ({
  Dockerfile: 'FROM scratch\nCOPY app /app\nUSER 65532:65532\nENTRYPOINT ["/app"]\n',
  app: readFileSync(join(GOMOD, binary))
})

let browser: Browser
let github: FakeGitHubServer
let api: { url: string; close(): Promise<void> }
let rendered: RenderedComment

beforeAll(async () => {
  buildGoFixtures()
  browser = await launchChromium()
  github = new FakeGitHubServer({ token: TOKEN })
  api = await github.start()
  const repo = await makePullRequestRepo(image('app'), image('add'), api.url, PR.number)
  const inputs = { network: 'none', 'github-token': TOKEN, 'max-size': '25MB', 'max-growth': '10%' }
  const run = await runAction(inputs, repo.env, [], repo.workspace)
  const [comment] = github.comments(PR)
  if (!comment) throw new Error(`no comment was posted:\n${run.stdout}\n${run.stderr}`)
  rendered = await renderComment(browser, comment.body)
  if (PICTURE) writeFileSync(PICTURE, rendered.png)
}, BUILD_TIMEOUT)

afterAll(async () => {
  await browser?.close()
  await api?.close()
})

describe(`the pull-request comment, as GitHub renders it (${ENGINE.label})`, () => {
  it('reads as the verdict, the size change and why the binary grew', () => {
    expect(rendered.text).toContain('image-size-gate failed: the image grew more than max-growth allows')
    expect(rendered.text).toContain('Why /app grew')
    expect(rendered.text).toContain('golang.org/x/text')
  })

  it('leaves no markdown or HTML unrendered', () => {
    for (const raw of ['**', '| ---', '<code>', '&#', '<details>', '](']) expect(rendered.text).not.toContain(raw)
  })

  it("links each finding's rule to a page this repository has", () => {
    const pages = rendered.links.map((href) => RULE_PAGE.exec(href)?.[1]).filter((rule) => rule !== undefined)
    expect(pages.length).toBeGreaterThan(0)
    for (const rule of pages) expect(existsSync(join(ROOT, 'docs/rules', `${rule}.md`))).toBe(true)
  })

  it('is a picture of a comment: as wide as one, and taller than its first lines', () => {
    expect(rendered.png.subarray(1, 4).toString()).toBe('PNG')
    expect(rendered.width).toBe(880)
    expect(rendered.height).toBeGreaterThan(300)
  })
})
