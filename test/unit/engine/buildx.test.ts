import { describe, expect, it } from '@jest/globals'
import { deliveryFor, explainBuildFailure, getBuildArgs, type BuildPaths } from '../../../src/engine/buildx.js'
import { parseBuilderInfo } from '../../../src/engine/docker.js'
import { Input, parseInputs } from '../../../src/inputs.js'

const paths: BuildPaths = {
  dockerfile: 'ctx/Dockerfile',
  iidFile: '/t/iid',
  ociArchive: '/t/image.oci.tar',
  secretFiles: []
}
const inputs = (values: Partial<Record<Input, string>>) => parseInputs((name) => values[name] ?? '')
const docker = { name: 'default', driver: 'docker' }
const tail = ['--iidfile', '/t/iid']

describe('getBuildArgs', () => {
  it.each([
    ['defaults, docker driver', {}, docker, [...tail, '--load', '.']],
    ['context', { [Input.Context]: 'svc' }, docker, [...tail, '--load', 'svc']],
    ['target', { [Input.Target]: 'build' }, docker, ['--target', 'build', ...tail, '--load', '.']],
    ['platform', { [Input.Platform]: 'linux/arm64' }, docker, ['--platform', 'linux/arm64', ...tail, '--load', '.']],
    ['network', { [Input.Network]: 'none' }, docker, ['--network', 'none', ...tail, '--load', '.']],
    [
      'build args in order',
      { [Input.BuildArgs]: 'A=1\nB=2' },
      docker,
      ['--build-arg', 'A=1', '--build-arg', 'B=2', ...tail, '--load', '.']
    ],
    [
      'caches',
      { [Input.CacheFrom]: 'type=gha', [Input.CacheTo]: 'type=gha,mode=max' },
      docker,
      ['--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max', ...tail, '--load', '.']
    ],
    [
      'docker-container driver exports OCI',
      { [Input.Builder]: 'ci' },
      { name: 'ci', driver: 'docker-container' },
      [...tail, '--output', 'type=oci,dest=/t/image.oci.tar', '.']
    ],
    [
      'kubernetes driver exports OCI',
      {},
      { name: 'k', driver: 'kubernetes' },
      [...tail, '--output', 'type=oci,dest=/t/image.oci.tar', '.']
    ],
    ['remote driver exports OCI', {}, { name: 'r', driver: 'remote' }, [...tail, '--output', 'type=oci,dest=/t/image.oci.tar', '.']],
    ['cloud driver exports OCI', {}, { name: 'c', driver: 'cloud' }, [...tail, '--output', 'type=oci,dest=/t/image.oci.tar', '.']],
    ['a named builder on the docker driver still loads', { [Input.Builder]: 'default' }, docker, [...tail, '--load', '.']],
    ['context with spaces is one argument', { [Input.Context]: 'my app' }, docker, [...tail, '--load', 'my app']],
    ['context is trimmed', { [Input.Context]: '  svc/api \n' }, docker, [...tail, '--load', 'svc/api']],
    ['an absolute context', { [Input.Context]: '/src/app' }, docker, [...tail, '--load', '/src/app']],
    [
      'a remote context is passed on as given',
      { [Input.Context]: 'https://example.com/app.git#main' },
      docker,
      [...tail, '--load', 'https://example.com/app.git#main']
    ],
    ['target is trimmed', { [Input.Target]: ' runtime ' }, docker, ['--target', 'runtime', ...tail, '--load', '.']],
    ['platform with a variant', { [Input.Platform]: 'linux/arm/v7' }, docker, ['--platform', 'linux/arm/v7', ...tail, '--load', '.']],
    ['platform is trimmed', { [Input.Platform]: ' linux/amd64 ' }, docker, ['--platform', 'linux/amd64', ...tail, '--load', '.']],
    [
      'platform as a one-line list with a comment',
      { [Input.Platform]: '# the runner\nlinux/amd64' },
      docker,
      ['--platform', 'linux/amd64', ...tail, '--load', '.']
    ],
    [
      'platforms alone do not set --platform (each run sets its own)',
      { [Input.Platforms]: 'linux/amd64,linux/arm64' },
      docker,
      [...tail, '--load', '.']
    ],
    ['network host', { [Input.Network]: 'host' }, docker, ['--network', 'host', ...tail, '--load', '.']],
    ['network is trimmed', { [Input.Network]: ' none ' }, docker, ['--network', 'none', ...tail, '--load', '.']],
    ['one build arg', { [Input.BuildArgs]: 'VERSION=1.2.3' }, docker, ['--build-arg', 'VERSION=1.2.3', ...tail, '--load', '.']],
    ['a build arg with an empty value', { [Input.BuildArgs]: 'EMPTY=' }, docker, ['--build-arg', 'EMPTY=', ...tail, '--load', '.']],
    [
      'a build arg whose value holds = and spaces',
      { [Input.BuildArgs]: 'FLAGS=-X a=b -s' },
      docker,
      ['--build-arg', 'FLAGS=-X a=b -s', ...tail, '--load', '.']
    ],
    [
      'a build arg value with a comma stays one argument',
      { [Input.BuildArgs]: 'LIST=a,b' },
      docker,
      ['--build-arg', 'LIST=a,b', ...tail, '--load', '.']
    ],
    [
      'build args skip blank and # lines',
      { [Input.BuildArgs]: 'A=1\n\n# note\n  B=2  ' },
      docker,
      ['--build-arg', 'A=1', '--build-arg', 'B=2', ...tail, '--load', '.']
    ],
    [
      'cache-from alone',
      { [Input.CacheFrom]: 'type=registry,ref=ghcr.io/o/app:cache' },
      docker,
      ['--cache-from', 'type=registry,ref=ghcr.io/o/app:cache', ...tail, '--load', '.']
    ],
    [
      'cache-to alone',
      { [Input.CacheTo]: 'type=local,dest=/tmp/cache' },
      docker,
      ['--cache-to', 'type=local,dest=/tmp/cache', ...tail, '--load', '.']
    ],
    [
      'several cache sources in order, commas inside each kept',
      { [Input.CacheFrom]: 'type=gha\ntype=registry,ref=r/app:cache' },
      docker,
      ['--cache-from', 'type=gha', '--cache-from', 'type=registry,ref=r/app:cache', ...tail, '--load', '.']
    ],
    [
      'several cache destinations in order',
      { [Input.CacheTo]: 'type=gha,mode=max\ntype=inline' },
      docker,
      ['--cache-to', 'type=gha,mode=max', '--cache-to', 'type=inline', ...tail, '--load', '.']
    ],
    [
      'every flag in its fixed order',
      {
        [Input.Context]: 'svc',
        [Input.Target]: 'runtime',
        [Input.Platform]: 'linux/arm64',
        [Input.Network]: 'none',
        [Input.BuildArgs]: 'A=1',
        [Input.CacheFrom]: 'type=gha',
        [Input.CacheTo]: 'type=gha,mode=max'
      },
      docker,
      [
        '--target',
        'runtime',
        '--platform',
        'linux/arm64',
        '--network',
        'none',
        '--build-arg',
        'A=1',
        '--cache-from',
        'type=gha',
        '--cache-to',
        'type=gha,mode=max',
        ...tail,
        '--load',
        'svc'
      ]
    ],
    [
      'every flag on an exporting builder',
      { [Input.Builder]: 'ci', [Input.Target]: 'runtime', [Input.Platform]: 'linux/amd64', [Input.BuildArgs]: 'A=1' },
      { name: 'ci', driver: 'docker-container' },
      ['--target', 'runtime', '--platform', 'linux/amd64', '--build-arg', 'A=1', ...tail, '--output', 'type=oci,dest=/t/image.oci.tar', '.']
    ],
    [
      'platform linux/arm64/v8 as given',
      { [Input.Platform]: 'linux/arm64/v8' },
      docker,
      ['--platform', 'linux/arm64/v8', ...tail, '--load', '.']
    ],
    ['a target with dashes and digits', { [Input.Target]: 'build-2' }, docker, ['--target', 'build-2', ...tail, '--load', '.']],
    ['network default as given', { [Input.Network]: 'default' }, docker, ['--network', 'default', ...tail, '--load', '.']],
    [
      'build args may repeat a key; buildx keeps the last',
      { [Input.BuildArgs]: 'A=1\nA=2' },
      docker,
      ['--build-arg', 'A=1', '--build-arg', 'A=2', ...tail, '--load', '.']
    ],
    [
      'inputs that are not build flags add nothing',
      { [Input.MaxSize]: '50MB', [Input.Comment]: 'false', [Input.BaselineImage]: 'app:main' },
      docker,
      [...tail, '--load', '.']
    ]
  ] as [string, Partial<Record<Input, string>>, { name: string; driver: string }, string[]][])(
    '%s',
    (_name, values, builder, expectedTail) => {
      const args = getBuildArgs(inputs(values), deliveryFor(builder), paths)
      const named = values[Input.Builder]
      const builderFlag = named ? ['--builder', named] : []
      expect(args).toEqual(['buildx', 'build', '--progress', 'plain', ...builderFlag, '--file', 'ctx/Dockerfile', ...expectedTail])
    }
  )

  it('passes secrets as files, never as values on the command line', () => {
    const args = getBuildArgs(inputs({ [Input.Secrets]: 'token=s3cret' }), 'load', {
      ...paths,
      secretFiles: [{ id: 'token', path: '/t/secret-0' }]
    })
    expect(args).toContain('id=token,src=/t/secret-0')
    expect(args.join(' ')).not.toContain('s3cret')
  })

  it('only the docker driver loads', () => {
    expect(deliveryFor(docker)).toBe('load')
    expect(deliveryFor({ name: 'x', driver: 'docker-container' })).toBe('oci-archive')
  })
})

describe('parseBuilderInfo', () => {
  it('reads the name and driver of `docker buildx inspect`', () => {
    const text = 'Name:          default\nDriver:        docker\nLast Activity: 2026-11-23\n\nNodes:\nName:      default\n'
    expect(parseBuilderInfo(text)).toEqual({ name: 'default', driver: 'docker' })
  })
})

describe('explainBuildFailure', () => {
  it('keeps the failing step, the Dockerfile line and the reason', () => {
    const output = [
      '#6 [build 3/3] RUN go build -o /out/app .',
      '#6 0.512 ./main.go:5:2: undefined: missing',
      '#6 ERROR: process "/bin/sh -c go build -o /out/app ." did not complete successfully: exit code: 1',
      '------',
      ' > [build 3/3] RUN go build -o /out/app .:',
      '#6 0.512 ./main.go:5:2: undefined: missing',
      '------',
      'Dockerfile:4',
      '--------------------',
      '   4 | >>> RUN go build -o /out/app .',
      '--------------------',
      'ERROR: failed to solve: process "/bin/sh -c go build -o /out/app ." did not complete successfully: exit code: 1'
    ].join('\n')
    expect(explainBuildFailure(output, 'svc/Dockerfile')).toBe(
      'docker buildx build of svc/Dockerfile failed at Dockerfile:4 `[build 3/3] RUN go build -o /out/app .`: failed to solve: process "/bin/sh -c go build -o /out/app ." did not complete successfully: exit code: 1\n' +
        '#6 0.512 ./main.go:5:2: undefined: missing'
    )
  })

  it('falls back to the last line when buildx printed no ERROR line', () => {
    expect(explainBuildFailure('something\nwent wrong\n', 'Dockerfile')).toBe('docker buildx build of Dockerfile failed: went wrong')
  })

  // Captured from buildx 0.13.1 on Engine 20.10 (BuildKit 0.8), which prints no Dockerfile:N block.
  it('reads BuildKit 0.8 output: executor failure with the step output', () => {
    const output = [
      '#5 [2/2] RUN echo boom >&2 && exit 3',
      '#5 0.079 boom',
      '#5 ERROR: executor failed running [/bin/sh -c echo boom >&2 && exit 3]: exit code: 3',
      '------',
      ' > [2/2] RUN echo boom >&2 && exit 3:',
      '0.079 boom',
      '------',
      'ERROR: failed to solve: executor failed running [/bin/sh -c echo boom >&2 && exit 3]: exit code: 3'
    ].join('\n')
    expect(explainBuildFailure(output, 'Dockerfile')).toBe(
      'docker buildx build of Dockerfile failed at `[2/2] RUN echo boom >&2 && exit 3`: failed to solve: executor failed running [/bin/sh -c echo boom >&2 && exit 3]: exit code: 3\n0.079 boom'
    )
  })

  it('strips BuildKit 0.8 wrapping from a syntax error', () => {
    const output =
      '#1 [internal] load build definition from Dockerfile\nERROR: failed to solve: rpc error: code = Unknown desc = failed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 1: unknown instruction: FORM'
    expect(explainBuildFailure(output, 'bad/Dockerfile')).toBe(
      'docker buildx build of bad/Dockerfile failed: failed to solve: dockerfile parse error line 1: unknown instruction: FORM'
    )
  })
})
