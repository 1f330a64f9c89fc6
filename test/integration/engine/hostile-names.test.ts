import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { annotations, runAction } from '../../support/action-runner.js'
import { makePullRequestRepo } from '../../support/git-fixture.js'
import { FakeGitHubServer } from '../../support/github-server.js'
import { expectInert } from '../../support/inert-markdown.js'

// 120 s for a test or hook: a test builds one small image: 15 s on a loaded 2-core machine.
jest.setTimeout(120_000)

const TOKEN = 'ghs_testtoken0123456789'
const PR = { owner: 'octo-org', repo: 'service', number: 41 }

/** Files whose names are markup, each large enough to be listed among the paths that grew. */
const MAKE_NAMES = [
  'set -e',
  'mkdir -p "/h/<"',
  'n=1',
  'for name in "/h/</details><img src=x onerror=alert(1)>" "/h/@octocat" "$(printf \'/h/a\\n## heading\')" \\',
  '    "$(printf \'/h/a\\n- [x] approved\')" \'/h/<!-- image-size-gate: key="x" -->\' \'/h/a`b``c\' "/h/a|b"; do',
  '  head -c "$((n * 100000))" /dev/zero > "$name"',
  '  n=$((n + 1))',
  'done',
  'rm "$0"',
  ''
].join('\n')

const DOCKERFILE = [
  'FROM image-size-gate/alpine-like:latest',
  'COPY make-names.sh /make-names.sh',
  `RUN sh /make-names.sh '</details><img src=x> @octocat <!-- key="z" --> a|b'`,
  'ENV GOPATH=</details><img/src=x>@octocat',
  'LABEL note="</details><img src=x onerror=alert(1)> @octocat"',
  'COPY app /usr/local/bin/app',
  'USER 0:@octocat',
  'ENTRYPOINT ["/</details><img src=x onerror=alert(1)>\\n## entry heading\\n- [x] approved @octocat <!-- image-size-gate: key=\\"y\\" -->"]',
  ''
].join('\n')

const COMMENT_KEY = '</details><img src=x>@octocat<!-- image-size-gate: key="k" -->'

const exec = promisify(execFile)

/** A dynamic executable whose PT_INTERP and DT_NEEDED strings are markup, linked on the host with gcc. */
async function hostileElf(dir: string): Promise<void> {
  await writeFile(join(dir, 'x.c'), 'int x(void) { return 1; }\n')
  await writeFile(join(dir, 'm.c'), 'int x(void);\nint main(void) { return x(); }\n')
  await exec('gcc', ['-shared', '-fPIC', '-o', 'libx.so', '-Wl,-soname,lib</details><img src=x>@octocat.so', 'x.c'], { cwd: dir })
  await exec('gcc', ['-o', 'app', 'm.c', '-L.', '-lx', '-Wl,--dynamic-linker=/lib/</details><img src=x>\n## interp heading'], { cwd: dir })
}

let github: FakeGitHubServer
let api: { url: string; close(): Promise<void> }

beforeAll(async () => {
  github = new FakeGitHubServer({ token: TOKEN })
  api = await github.start()
})
afterAll(async () => api.close())

describe('an image whose names are markup', () => {
  it('shows them as text in the comment, the summary and the annotations', async () => {
    const base = { Dockerfile: 'FROM image-size-gate/alpine-like:latest\n' }
    const repo = await makePullRequestRepo(base, { Dockerfile: DOCKERFILE, 'make-names.sh': MAKE_NAMES }, api.url, PR.number)
    // The head is built from the workspace, so the executable need not be committed.
    await hostileElf(repo.workspace)
    const run = await runAction({ network: 'none', 'github-token': TOKEN, 'comment-key': COMMENT_KEY }, repo.env, [], repo.workspace)
    // The ENTRYPOINT does not exist: the job fails, after commenting.
    expect(run.exitCode).toBe(1)
    const comments = github.comments(PR)
    expect(comments).toHaveLength(1)
    const body = comments[0]?.body ?? ''

    expectInert(body)
    expect(body.split('<!--').length).toBe(2)
    expectInert(run.summary)
    expect(run.summary.split('<!--').length).toBe(1)

    // The names were there to be escaped: the paths, the RUN line, the ENTRYPOINT, the env and the key.
    for (const path of [
      '/h/@octocat',
      '/h/a&#92;n&#35;&#35; heading',
      '/h/a&#92;n- &#91;x&#93; approved',
      '/h/&#60;!-- image-size-gate: key="x" --&#62;',
      '/h/a&#96;b&#96;&#96;c',
      '/h/a&#124;b'
    ]) {
      expect(body).toContain(`| <code>${path}</code> |`)
    }
    expect(body).toContain('| <code>/h/&#60;/details&#62;&#60;img src=x onerror=alert(1)&#62;</code> |')
    expect(body).toContain(
      `| <code>RUN sh /make-names.sh '&#60;/details&#62;&#60;img src=x&#62; @octocat &#60;!-- key="z" --&#62; a&#124;b'</code> (line 3) |`
    )
    expect(body).toContain(
      'ENTRYPOINT runs /&#60;/details&#62;&#60;img src=x onerror=alert(1)&#62;&#92;n&#35;&#35; entry heading&#92;n- &#91;x&#93; approved @&#8203;octocat'
    )
    expect(body).toContain(
      '/usr/local/bin/app needs the dynamic loader /lib/&#60;/details&#62;&#60;img src=x&#62;&#92;n&#35;&#35; interp heading, which'
    )
    expect(body).toContain(
      '/usr/local/bin/app needs shared libraries the image does not have: lib&#60;/details&#62;&#60;img src=x&#62;@&#8203;octocat.so, libc.so.6;'
    )
    expect(body).toContain('environment mentions GOPATH=&#60;/details&#62;&#60;img/src=x&#62;@&#8203;octocat')
    expect(body).toContain('**&#60;/details&#62;&#60;img src=x&#62;@&#8203;octocat&#60;!-- image-size-gate: key="k" --&#62;** · image')
    expect(run.summary).toContain('| <code>/h/@octocat</code> |')

    // Annotations keep each message on one line, its newlines shown.
    const entrypoint = annotations(run.stdout).find((annotation) => annotation.message.startsWith('ENTRYPOINT runs'))
    expect(entrypoint?.message).toContain(
      'ENTRYPOINT runs /</details><img src=x onerror=alert(1)>\\n## entry heading\\n- [x] approved @octocat'
    )
    expect(run.stdout.split('\n').filter((line) => /^(## |- \[x\])/.test(line))).toEqual([])
  })
})
