import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parseDockerfile, selectStage, type Stage } from '../../../src/model/dockerfile.js'
import { describeStep, stepsForLayers, matchInstructions } from '../../../src/model/instructions.js'
import type { BuildStep } from '../../../src/archive/image-documents.js'

interface ImageConfig {
  rootfs: { diff_ids: string[] }
  history: BuildStep[]
}

interface Fixture {
  config: ImageConfig
  dockerfile: string
}

const FIXTURES = new URL('../../fixtures/history/', import.meta.url)

function fixture(name: string): Fixture {
  const config: unknown = JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8'))
  return { config: config as ImageConfig, dockerfile: readFileSync(new URL(`${name}.Dockerfile`, FIXTURES), 'utf8') }
}

function stageOf(text: string, target?: string): Stage {
  return selectStage(parseDockerfile(text, 'Dockerfile'), target)
}

/** The Dockerfile line matched to each history entry. */
function matchedLines(stage: Stage, history: BuildStep[]): (number | undefined)[] {
  return matchInstructions(stage, history).map((instruction) => instruction?.line)
}

function buildkit(createdBy: string, emptyLayer = false): BuildStep {
  return { created_by: createdBy, comment: 'buildkit.dockerfile.v0', ...(emptyLayer ? { empty_layer: true } : {}) }
}

describe('stepsForLayers', () => {
  const layer = (name: string): BuildStep => ({ created_by: name })
  const empty = (name: string): BuildStep => ({ created_by: name, empty_layer: true })
  const history = [layer('a'), empty('env'), layer('b'), empty('expose'), empty('user'), layer('c'), empty('cmd')]

  it('skips empty_layer entries between and after the layers', () => {
    expect(stepsForLayers(history, 3).map((entry) => entry?.created_by)).toEqual(['a', 'b', 'c'])
  })

  it('aligns from the start, as docker history does, leaving extra layers at the end undefined', () => {
    expect(stepsForLayers(history, 5).map((entry) => entry?.created_by)).toEqual(['a', 'b', 'c', undefined, undefined])
  })

  it('ignores entries beyond the last layer', () => {
    expect(stepsForLayers(history, 2).map((entry) => entry?.created_by)).toEqual(['a', 'b'])
  })

  it('returns no layers for a count that is zero, negative or not a number', () => {
    expect([0, -1, Number.NaN].map((count) => stepsForLayers(history, count))).toEqual([[], [], []])
  })

  it('pairs the real layers of an image built on a base with its own history', () => {
    const { config } = fixture('alpine-onbuild')
    expect(stepsForLayers(config.history, config.rootfs.diff_ids.length).map((entry) => entry && describeStep(entry))).toEqual([
      'Imported from -',
      'RUN mkdir -p /etc/app',
      'RUN echo triggered > /onbuild',
      'RUN mkdir -p /data && echo hi > /data/x',
      'COPY config.yaml /etc/app/',
      'WORKDIR /app'
    ])
  })
})

describe('describeStep', () => {
  const hash = '3af734cc377e8ebc22c750576d7ec7e1f79e7d194e97ccd7d025c669fbbe8772'
  it.each([
    ['RUN /bin/sh -c go build -o /out/app . # buildkit', 'RUN go build -o /out/app .'],
    ['RUN |2 VERSION=1.2 TARGETOS=linux /bin/sh -c go build -o /out/app . # buildkit', 'RUN go build -o /out/app .'],
    ['RUN |3 VERSION=1.2.3 TARGETOS=linux FLAGS=-a -b /bin/sh -c echo "$FLAGS" > /flags # buildkit', 'RUN echo "$FLAGS" > /flags'],
    ['RUN |1 X=1 go build . # buildkit', 'RUN go build .'],
    ['RUN ["go","build","."] # buildkit', 'RUN go build .'],
    ['RUN go build . # buildkit', 'RUN go build .'],
    ['RUN /bin/sh -e -c mkdir -p /data  && echo hi > /data/x # buildkit', 'RUN mkdir -p /data && echo hi > /data/x'],
    ['RUN /bin/bash -o pipefail -c curl -fsSL x | sh # buildkit', 'RUN curl -fsSL x | sh'],
    ['RUN /bin/sh -c set -e\napk add curl\n # buildkit', 'RUN set -e apk add curl'],
    ['COPY /out/app /app # buildkit', 'COPY /out/app /app'],
    ['COPY --chown=65532:65532 --chmod=644 config.yaml /etc/app/ # buildkit', 'COPY config.yaml /etc/app/'],
    ['COPY <<EOT /etc/motd # buildkit', 'COPY <<EOT /etc/motd'],
    ['ADD https://example.com/tool.tar.gz /opt/ # buildkit', 'ADD https://example.com/tool.tar.gz /opt/'],
    ['WORKDIR /src', 'WORKDIR /src'],
    ['ENV PORT=8080 MODE=prod', 'ENV PORT=8080 MODE=prod'],
    ['EXPOSE map[8080/tcp:{}]', 'EXPOSE map[8080/tcp:{}]'],
    ['ENTRYPOINT ["/out/app"]', 'ENTRYPOINT ["/out/app"]'],
    [`/bin/sh -c #(nop) COPY file:${hash} in /srv/ `, 'COPY file:3af734cc377e /srv/'],
    [`/bin/sh -c #(nop) ADD file:${hash} in / `, 'ADD file:3af734cc377e /'],
    ['/bin/sh -c #(nop)  CMD ["/bin/sh"]', 'CMD ["/bin/sh"]'],
    ['/bin/sh -c #(nop)  ARG X=1', 'ARG X=1'],
    ['/bin/sh -c go build -o /app .', 'RUN go build -o /app .'],
    ['|1 X=1 /bin/sh -c echo "$X" > /x', 'RUN echo "$X" > /x'],
    ['cmd /S /C #(nop) WORKDIR C:\\app', 'WORKDIR C:\\app'],
    ["# debian.sh --arch 'amd64' out/ 'bookworm' '@1700000000'", "# debian.sh --arch 'amd64' out/ 'bookworm' '@1700000000'"]
  ])('%j → %j', (createdBy, expected) => {
    expect(describeStep({ created_by: createdBy })).toBe(expected)
  })

  it('describes an imported base layer by its comment', () => {
    expect(describeStep({ created_by: '', comment: 'Imported from -' })).toBe('Imported from -')
    expect(describeStep({ comment: 'Imported from -' })).toBe('Imported from -')
    expect(describeStep({})).toBe('')
  })
})

describe('matchInstructions on captured builds', () => {
  it('maps a single-stage golang build and leaves the base image alone', () => {
    const { config, dockerfile } = fixture('golang-single')
    expect(matchedLines(stageOf(dockerfile), config.history)).toEqual([undefined, 3, 4, 5, 7, 9, 10, 11, 12])
  })

  it('maps only the final stage of a multi-stage build onto scratch', () => {
    const { config, dockerfile } = fixture('scratch-multi-stage')
    expect(matchedLines(stageOf(dockerfile), config.history)).toEqual([9, 10, 11])
  })

  it('matches nothing when the stage is not the one the image was built from', () => {
    const { config, dockerfile } = fixture('scratch-multi-stage')
    expect(matchedLines(stageOf(dockerfile, 'build'), config.history)).toEqual([undefined, undefined, undefined])
  })

  it('skips base history and ONBUILD trigger entries, even where they repeat the stage instructions', () => {
    const { config, dockerfile } = fixture('alpine-onbuild')
    const lines = matchedLines(stageOf(dockerfile), config.history)
    expect(lines).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12])
  })

  it('strips build-arg prefixes, including values with spaces, and matches exec-form RUN', () => {
    const { config, dockerfile } = fixture('build-args')
    expect(matchedLines(stageOf(dockerfile), config.history)).toEqual([undefined, 2, 3, 4, 5, 6, 7, 8])
  })

  it('reads the classic builder format', () => {
    const { config, dockerfile } = fixture('legacy-builder')
    expect(matchedLines(stageOf(dockerfile), config.history)).toEqual([undefined, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('matches heredoc RUN and COPY and flags kept by newer BuildKit', () => {
    const { config, dockerfile } = fixture('heredoc-newer-buildkit')
    expect(matchedLines(stageOf(dockerfile), config.history)).toEqual([undefined, undefined, 3, 7, 10, 13, 17, 18])
  })

  it('gives every layer its Dockerfile line when combined with stepsForLayers', () => {
    const { config, dockerfile } = fixture('golang-single')
    const instructions = matchInstructions(stageOf(dockerfile), config.history)
    const byEntry = new Map(config.history.map((entry, index) => [entry, instructions[index]?.line]))
    const layers = stepsForLayers(config.history, config.rootfs.diff_ids.length)
    expect(layers.map((entry) => entry && byEntry.get(entry))).toEqual([undefined, 3, 4, 5, 7])
  })
})

describe('matchInstructions tolerance', () => {
  const base = [
    { created_by: '', comment: 'Imported from -' },
    buildkit('RUN /bin/sh -c echo hi > /hi # buildkit'),
    buildkit('CMD ["/bin/sh"]', true)
  ]

  it('prefers the latest entry when the base recorded the same instruction', () => {
    const stage = stageOf('FROM base\nONBUILD RUN make\nONBUILD RUN make test\nRUN echo hi > /hi\n')
    const history = [...base, buildkit('RUN /bin/sh -c echo hi > /hi # buildkit')]
    expect(matchedLines(stage, history)).toEqual([undefined, undefined, undefined, 4])
    const unmatchedAfter = stageOf('FROM base\nONBUILD RUN make\nRUN echo hi > /hi\nONBUILD RUN make test\n')
    expect(matchedLines(unmatchedAfter, history)).toEqual([undefined, undefined, undefined, 3])
  })

  it("prefers the stage's own unreadable entry over an identical one in the base", () => {
    const stage = stageOf('FROM base\nRUN echo hi > /hi\nUSER 1\n')
    const history = [...base, buildkit('RUN some future format'), buildkit('USER 1', true)]
    expect(matchedLines(stage, history)).toEqual([undefined, undefined, undefined, 2, 3])
  })

  it('does not pair unrecorded instructions (ONBUILD) with base entries', () => {
    const stage = stageOf('FROM base\nONBUILD RUN make\nONBUILD CMD ["/bin/sh"]\nUSER 1\n')
    expect(matchedLines(stage, [...base, buildkit('USER 1', true)])).toEqual([undefined, undefined, undefined, 4])
  })

  it('pairs an entry it cannot read when it sits between matches with the same keyword', () => {
    const stage = stageOf('FROM golang\nWORKDIR /src\nRUN go build .\nCOPY . .\n')
    const odd = [buildkit('WORKDIR /src'), buildkit('RUN some future format'), buildkit('COPY . . # buildkit')]
    expect(matchedLines(stage, [...base, ...odd])).toEqual([undefined, undefined, undefined, 2, 3, 4])
    const wrongKeyword = [buildkit('WORKDIR /src'), buildkit('ADD x /y # buildkit'), buildkit('COPY . . # buildkit')]
    expect(matchedLines(stage, [...base, ...wrongKeyword])).toEqual([undefined, undefined, undefined, 2, undefined, 4])
  })

  it('ignores history entries the BuildKit exporter appended for layers without history', () => {
    const { config, dockerfile } = fixture('golang-single')
    const appended = { created_by: 'COPY /src /src', comment: 'buildkit.exporter.image.v0' }
    expect(matchedLines(stageOf(dockerfile), [...config.history, appended])).toEqual([undefined, 3, 4, 5, 7, 9, 10, 11, 12, undefined])
  })

  it('copes with history shorter than the stage and with no history', () => {
    const stage = stageOf('FROM scratch\nCOPY app /app\nUSER 1\nENTRYPOINT ["/app"]\n')
    expect(matchedLines(stage, [buildkit('ENTRYPOINT ["/app"]', true)])).toEqual([4])
    expect(matchInstructions(stage, [])).toEqual([])
  })

  const hash = '3af734cc377e8ebc22c750576d7ec7e1f79e7d194e97ccd7d025c669fbbe8772'
  /** An unrecorded ONBUILD first stops positional pairing, so only the argument check can match. */
  const matches = (instruction: string, createdBy: string): boolean => {
    const stage = stageOf(`FROM base\nONBUILD RUN make\n${instruction}\n`)
    return matchedLines(stage, [{ comment: 'Imported from -' }, { created_by: createdBy }])[1] === 3
  }

  it.each([
    ['RUN go build .', 'RUN /bin/sh -c go build . # buildkit', 'RUN /bin/sh -c go test . # buildkit'],
    ['RUN ["go", "build", "."]', 'RUN go build . # buildkit', 'RUN go vet . # buildkit'],
    ['RUN ["go", "build", "."]', 'go build .', 'go vet .'],
    ['RUN <<EOF\nset -e\nmake\nEOF', 'RUN /bin/sh -c set -e\nmake\n # buildkit', 'RUN /bin/sh -c set -e\nmake all\n # buildkit'],
    [
      'RUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF',
      'RUN /bin/sh -c /dev/pipes/EOF # buildkit',
      'RUN /bin/sh -c /dev/pipes/PY # buildkit'
    ],
    ['RUN cat <<A > /a\n1\nA', 'RUN /bin/sh -c cat <<A > /a\n1\nA # buildkit', 'RUN /bin/sh -c cat <<A > /a\n2\nA # buildkit'],
    ['COPY <<-EOT /etc/motd\n\thi\n\tEOT', 'COPY <<EOT /etc/motd # buildkit', 'COPY <<EOF /etc/motd # buildkit'],
    ['RUN --mount=type=cache,target=/c make', 'RUN |1 A=b c /bin/sh -c make # buildkit', 'RUN |1 A=b c /bin/sh -c make all # buildkit'],
    ['COPY app /srv/', 'COPY app /srv/ # buildkit', 'COPY app /opt/ # buildkit'],
    ['COPY --from=build /out/app /app', 'COPY /out/app /app # buildkit', 'COPY /out/other /app # buildkit'],
    ['COPY . .', 'COPY . . # buildkit', 'COPY go.mod . # buildkit'],
    ['COPY ["a.txt", "b.txt", "/dst/"]', 'COPY a.txt b.txt /dst/ # buildkit', 'COPY a.txt /dst/ # buildkit'],
    ['COPY $SRC /app', 'COPY resolved /app # buildkit', 'COPY resolved /other # buildkit'],
    ['COPY config.yaml /srv/', `/bin/sh -c #(nop) COPY file:${hash} in /srv/ `, `/bin/sh -c #(nop) COPY file:${hash} in /opt/ `],
    [
      'ADD https://example.com/tool.tar.gz /opt/',
      'ADD https://example.com/tool.tar.gz /opt/ # buildkit',
      'ADD https://example.com/x.tgz /opt/ # buildkit'
    ],
    ['WORKDIR app', 'WORKDIR /src/app', 'WORKDIR /src/lib'],
    ['ENV A=1 B=2', 'ENV A=1 B=2', 'ENV B=2 C=3'],
    ['ENV A 1', 'ENV A=1', 'ENV B=1'],
    ['ARG FLAGS="-a -b"', 'ARG FLAGS=-a -b', 'ARG OTHER=1'],
    ['LABEL org.opencontainers.image.title="my app"', 'LABEL org.opencontainers.image.title=my app', 'LABEL vendor=x'],
    ['USER 65532', 'USER 65532', 'USER root'],
    ['STOPSIGNAL SIGTERM', 'STOPSIGNAL SIGTERM', 'STOPSIGNAL SIGKILL'],
    ['EXPOSE 9090', 'EXPOSE map[9090/tcp:{}]', 'EXPOSE map[8080/tcp:{}]'],
    ['EXPOSE 53/udp', 'EXPOSE [53/udp]', 'EXPOSE [5353/udp]'],
    ['CMD ["/app", "serve"]', 'CMD ["/app" "serve"]', 'CMD ["/app" "run"]'],
    ['CMD /app serve', 'CMD ["/bin/sh" "-c" "/app serve"]', 'CMD ["/bin/sh" "-c" "/app run"]'],
    ['ENTRYPOINT ["/app"]', 'ENTRYPOINT ["/app"]', 'ENTRYPOINT ["/bin/app"]'],
    ['VOLUME /data', 'VOLUME [/data]', 'VOLUME [/cache]'],
    ['VOLUME ["/data", "/cache"]', 'VOLUME [/data /cache]', 'VOLUME [/data]']
  ])('checks the arguments of %s', (instruction, same, different) => {
    expect([matches(instruction, same), matches(instruction, different)]).toEqual([true, false])
  })
})
