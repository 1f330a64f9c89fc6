import { describe, expect, it } from '@jest/globals'
import { execForm, parseDockerfile, selectStage, type Instruction } from '../../../src/model/dockerfile.js'
import { UserError } from '../../../src/errors.js'

/** Builds a Dockerfile from lines so line numbers in the tests are easy to count. */
function dockerfile(...lines: string[]): string {
  return lines.join('\n')
}

function instructionsOf(text: string): Instruction[] {
  return parseDockerfile(text, 'Dockerfile').stages.flatMap((stage) => [stage.from, ...stage.instructions])
}

function summary(instruction: Instruction): [string, string, number, number] {
  return [instruction.keyword, instruction.args, instruction.line, instruction.endLine]
}

describe('parseDockerfile: lines and continuations', () => {
  it('joins continuation lines and skips comments and blank lines inside them', () => {
    const text = dockerfile(
      'FROM debian:12',
      '',
      '# install tools',
      'RUN apt-get update \\',
      '    # a comment inside the continuation',
      '',
      '    && apt-get install -y curl \\  ',
      '    && rm -rf /var/lib/apt/lists/*',
      'USER 1000'
    )
    expect(instructionsOf(text).map(summary)).toEqual([
      ['FROM', 'debian:12', 1, 1],
      ['RUN', 'apt-get update     && apt-get install -y curl     && rm -rf /var/lib/apt/lists/*', 4, 8],
      ['USER', '1000', 9, 9]
    ])
  })

  it('keeps the source lines of an instruction in raw', () => {
    const [, run] = instructionsOf(dockerfile('FROM a', 'RUN one \\', '  two', 'CMD x'))
    expect(run?.raw).toBe('RUN one \\\n  two')
  })

  it('reads CRLF line endings and a byte-order mark', () => {
    const text = '\uFEFFFROM alpine AS base\r\nRUN echo hi \\\r\n  there\r\n'
    const parsed = parseDockerfile(text, 'Dockerfile')
    expect(parsed.stages[0]?.name).toBe('base')
    expect(parsed.stages[0]?.instructions.map(summary)).toEqual([['RUN', 'echo hi   there', 2, 3]])
  })

  it('treats keywords case-insensitively and lower-cases stage names', () => {
    const parsed = parseDockerfile(dockerfile('from golang:1.22 as Build', 'run go build', 'From scratch AS Final'), 'Dockerfile')
    expect(parsed.stages.map((stage) => [stage.name, stage.base, stage.from.keyword])).toEqual([
      ['build', 'golang:1.22', 'FROM'],
      ['final', 'scratch', 'FROM']
    ])
    expect(parsed.stages[0]?.instructions[0]?.keyword).toBe('RUN')
  })

  it('never throws on odd input', () => {
    const odd = ['', '# only a comment', 'FROM', 'RUN \\', 'FROM a\nRUN <<EOF\nunterminated', '\\\n\\\n', '[', 'FROM a\n--x\n']
    for (const text of odd) expect(() => parseDockerfile(text, 'Dockerfile')).not.toThrow()
    expect(parseDockerfile('FROM', 'Dockerfile').stages[0]?.base).toBe('')
  })
})

describe('parseDockerfile: parser directives', () => {
  it('uses a backtick as the escape character when `# escape=` says so', () => {
    const text = dockerfile(
      '# escape=`',
      'FROM mcr.microsoft.com/windows/nanoserver',
      'COPY testfile.txt c:\\',
      'RUN dir c:\\ `',
      '    && echo done'
    )
    expect(instructionsOf(text).map(summary).slice(1)).toEqual([
      ['COPY', 'testfile.txt c:\\', 3, 3],
      ['RUN', 'dir c:\\     && echo done', 4, 5]
    ])
  })

  it('ignores a directive that follows a comment, as BuildKit does', () => {
    const text = dockerfile('# a comment', '# escape=`', 'FROM alpine', 'RUN echo a \\', '  b')
    expect(instructionsOf(text).map(summary)[1]).toEqual(['RUN', 'echo a   b', 4, 5])
  })

  it('accepts a syntax directive before the escape directive', () => {
    const text = dockerfile('# syntax=docker/dockerfile:1', '# escape=`', 'FROM alpine', 'RUN a `', ' b')
    expect(instructionsOf(text)[1]?.endLine).toBe(5)
  })
})

describe('parseDockerfile: flags and forms', () => {
  it('separates flags from arguments, unquotes them and joins repeated ones', () => {
    const text = dockerfile(
      'FROM golang AS build',
      'RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=netrc go build ./...',
      'COPY --from=build --chown="65532:65532" --link /out/app /app'
    )
    const [, run, copy] = instructionsOf(text)
    expect(run?.flags).toEqual({ mount: 'type=cache,target=/root/.cache\ntype=secret,id=netrc' })
    expect(run?.args).toBe('go build ./...')
    expect(copy?.flags).toEqual({ from: 'build', chown: '65532:65532', link: 'true' })
    expect(copy?.args).toBe('/out/app /app')
  })

  it('tells exec form from shell form', () => {
    const [, exec, shell, broken] = instructionsOf(
      dockerfile('FROM a', 'CMD ["/app", "--port", "8080"]', 'CMD /app --port 8080', 'CMD [oops')
    )
    expect(exec && execForm(exec)).toEqual(['/app', '--port', '8080'])
    expect(shell && execForm(shell)).toBeUndefined()
    expect(broken && execForm(broken)).toBeUndefined()
  })
})

describe('parseDockerfile: heredocs', () => {
  it('reads a RUN heredoc body and extends endLine to its terminator', () => {
    const text = dockerfile('FROM alpine', 'RUN <<EOF', 'set -e', 'apk add curl', 'EOF', 'USER 1')
    const [, run, user] = instructionsOf(text)
    expect(run && summary(run)).toEqual(['RUN', '<<EOF', 2, 5])
    expect(run?.heredocs).toEqual([{ name: 'EOF', body: 'set -e\napk add curl\n' }])
    expect(user?.line).toBe(6)
  })

  it('handles COPY heredocs, <<- tab stripping, quoted names and several heredocs on one line', () => {
    const text = dockerfile(
      'FROM alpine',
      'COPY <<-"CONF" /etc/app.conf',
      '\tkey=$value',
      '\tCONF',
      'COPY <<one.txt <<two.txt /srv/',
      '1',
      'one.txt',
      '2',
      'two.txt',
      'CMD ["/bin/sh"]'
    )
    const [, conf, pair, cmd] = instructionsOf(text)
    expect(conf?.heredocs).toEqual([{ name: 'CONF', body: 'key=$value\n' }])
    expect(conf?.endLine).toBe(4)
    expect(pair?.heredocs?.map((doc) => doc.name)).toEqual(['one.txt', 'two.txt'])
    expect(pair && summary(pair)).toEqual(['COPY', '<<one.txt <<two.txt /srv/', 5, 9])
    expect(cmd?.line).toBe(10)
  })

  it('reads a heredoc that follows a command and a continuation', () => {
    const text = dockerfile('FROM python', 'RUN --network=none \\', '  python3 <<PY > /out', 'print(1)', 'PY', 'CMD x')
    const [, run, cmd] = instructionsOf(text)
    expect(run && summary(run)).toEqual(['RUN', 'python3 <<PY > /out', 2, 5])
    expect(run?.heredocs).toEqual([{ name: 'PY', body: 'print(1)\n' }])
    expect(cmd?.line).toBe(6)
  })

  it('finds no heredoc in exec form, quoted text, here-strings or other instructions', () => {
    const text = dockerfile('FROM a', 'RUN ["sh", "-c", "cat <<EOF"]', 'RUN echo "<<EOF"', 'RUN cat <<<EOF', 'ENV X=<<EOF', 'USER 1')
    const instructions = instructionsOf(text)
    expect(instructions.map((instruction) => instruction.heredocs)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined
    ])
    expect(instructions.map((instruction) => instruction.line)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('lets an unterminated heredoc run to the end of the file', () => {
    const [, run] = instructionsOf(dockerfile('FROM a', 'RUN <<EOF', 'echo', 'USER 1'))
    expect(run?.endLine).toBe(4)
    expect(run?.heredocs).toEqual([{ name: 'EOF', body: 'echo\nUSER 1\n' }])
  })
})

describe('parseDockerfile: stages and global ARGs', () => {
  const text = dockerfile(
    'ARG REGISTRY=docker.io',
    'ARG GO_VERSION=1.22',
    'ARG GO_IMAGE="${REGISTRY}/library/golang:${GO_VERSION}"',
    'ARG RUNTIME',
    'FROM --platform=$BUILDPLATFORM ${GO_IMAGE} AS build',
    'ARG VERSION=dev',
    'RUN go build',
    'FROM ${RUNTIME:-gcr.io/distroless/static}:nonroot AS runtime',
    'FROM $RUNTIME AS unresolved',
    'FROM alpine:${GO_VERSION:+3.19} AS alternative',
    'FROM \\$literal'
  )

  it('substitutes global ARG defaults into FROM and keeps unknown references as written', () => {
    const parsed = parseDockerfile(text, 'Dockerfile')
    expect(parsed.stages.map((stage) => stage.base)).toEqual([
      'docker.io/library/golang:1.22',
      'gcr.io/distroless/static:nonroot',
      '$RUNTIME',
      'alpine:3.19',
      '$literal'
    ])
    expect(parsed.stages[0]?.platform).toBe('$BUILDPLATFORM')
    expect(parsed.globalArgs).toEqual({
      REGISTRY: 'docker.io',
      GO_VERSION: '1.22',
      GO_IMAGE: 'docker.io/library/golang:1.22',
      RUNTIME: undefined
    })
  })

  it('lets build args override declared global ARGs only', () => {
    const parsed = parseDockerfile(text, 'Dockerfile', { GO_VERSION: '1.23', RUNTIME: 'alpine', VERSION: '9', UNDECLARED: 'x' })
    expect(parsed.stages.map((stage) => stage.base).slice(0, 3)).toEqual(['docker.io/library/golang:1.23', 'alpine:nonroot', 'alpine'])
    expect(parsed.globalArgs).not.toHaveProperty('UNDECLARED')
    expect(parsed.globalArgs).not.toHaveProperty('VERSION')
  })

  it('puts each instruction in its stage, FROM excluded', () => {
    const parsed = parseDockerfile(text, 'Dockerfile')
    expect(parsed.stages.map((stage) => [stage.index, stage.name, stage.from.line, stage.instructions.map((i) => i.line)])).toEqual([
      [0, 'build', 5, [6, 7]],
      [1, 'runtime', 8, []],
      [2, 'unresolved', 9, []],
      [3, 'alternative', 10, []],
      [4, undefined, 11, []]
    ])
  })

  it('uses an ARG default without a value, ${VAR-default}, once the ARG is set', () => {
    const parsed = parseDockerfile(
      dockerfile('ARG TAG', 'ARG EMPTY=', 'FROM alpine:${TAG-3.20}', 'FROM alpine:${EMPTY-x}${EMPTY:-3.18}'),
      'Dockerfile'
    )
    expect(parsed.stages.map((stage) => stage.base)).toEqual(['alpine:3.20', 'alpine:3.18'])
  })
})

describe('selectStage', () => {
  const parsed = parseDockerfile(dockerfile('FROM golang AS build', 'FROM scratch AS Runtime', 'FROM alpine AS debug'), 'docker/Dockerfile')

  it('picks the last stage without a target', () => {
    expect(selectStage(parsed).name).toBe('debug')
    expect(selectStage(parsed, '').name).toBe('debug')
  })

  it('picks the target stage case-insensitively', () => {
    expect(selectStage(parsed, 'RUNTIME').index).toBe(1)
  })

  it('names the file and the stages when the target is missing', () => {
    expect(() => selectStage(parsed, 'nope')).toThrow(
      new UserError('target: stage "nope" is not in docker/Dockerfile; its stages are build, runtime, debug')
    )
  })

  it('flattens a target built on an earlier stage: its FROM image, FROM line and instructions come first', () => {
    const chained = parseDockerfile(
      dockerfile(
        'FROM golang:1.22 AS build',
        'RUN go build -o /app .',
        'FROM image-size-gate/alpine-like AS Runtime',
        'COPY --from=build /app /app',
        'USER 65532',
        'FROM runtime AS debug',
        'RUN apk add busybox-extras',
        'FROM debug AS trace',
        'COPY trace /trace'
      ),
      'Dockerfile'
    )
    const trace = selectStage(chained, 'trace')
    expect([trace.index, trace.name, trace.base, trace.from.line]).toEqual([3, 'trace', 'image-size-gate/alpine-like', 3])
    expect(trace.instructions.map((instruction) => instruction.line)).toEqual([4, 5, 7, 9])
    expect(selectStage(chained, 'runtime').instructions.map((instruction) => instruction.line)).toEqual([4, 5])
  })

  it('keeps an image that shares a stage name but is not an earlier stage', () => {
    const later = parseDockerfile(dockerfile('FROM app AS first', 'FROM alpine AS app'), 'Dockerfile')
    expect(selectStage(later, 'first').base).toBe('app')
  })

  it('says how to name stages when none is named', () => {
    const unnamed = parseDockerfile('FROM alpine\n', 'Dockerfile')
    expect(() => selectStage(unnamed, 'app')).toThrow(
      'target: stage "app" is not in Dockerfile; it has no named stages (name one with FROM … AS name)'
    )
  })

  it('rejects a Dockerfile without FROM, naming the file', () => {
    const empty = parseDockerfile('# nothing here\nARG X=1\n', 'build/Dockerfile.prod')
    expect(() => selectStage(empty)).toThrow(UserError)
    expect(() => selectStage(empty)).toThrow('build/Dockerfile.prod has no FROM instruction; a Dockerfile needs at least one stage')
  })
})
