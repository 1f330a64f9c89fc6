import { describe, expect, it } from '@jest/globals'
import { deliveryFor, explainBuildFailure, getBuildArgs, type BuildPaths } from '../../src/buildx.js'
import { parseBuilderInfo } from '../../src/docker.js'
import { Input, parseInputs } from '../../src/inputs.js'

const paths: BuildPaths = {
  dockerfile: 'ctx/Dockerfile',
  iidFile: '/t/iid',
  metadataFile: '/t/meta.json',
  ociArchive: '/t/image.oci.tar',
  secretFiles: []
}
const inputs = (values: Partial<Record<Input, string>>) => parseInputs((name) => values[name] ?? '')
const docker = { name: 'default', driver: 'docker' }
const tail = ['--iidfile', '/t/iid', '--metadata-file', '/t/meta.json']

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
    ['kubernetes driver exports OCI', {}, { name: 'k', driver: 'kubernetes' }, [...tail, '--output', 'type=oci,dest=/t/image.oci.tar', '.']],
    ['remote driver exports OCI', {}, { name: 'r', driver: 'remote' }, [...tail, '--output', 'type=oci,dest=/t/image.oci.tar', '.']]
  ] as [string, Partial<Record<Input, string>>, { name: string; driver: string }, string[]][])('%s', (_name, values, builder, expectedTail) => {
    const args = getBuildArgs(inputs(values), deliveryFor(builder), paths)
    const named = values[Input.Builder]
    const builderFlag = named ? ['--builder', named] : []
    expect(args).toEqual(['buildx', 'build', '--progress', 'plain', ...builderFlag, '--file', 'ctx/Dockerfile', ...expectedTail])
  })

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
