import { describe, expect, it } from '@jest/globals'
import type { BuildPaths } from '../../../src/engine/buildx.js'
import { explainPodmanFailure, getPodmanBuildArgs } from '../../../src/engine/podman.js'
import { Input, parseInputs } from '../../../src/inputs.js'

const paths: BuildPaths = { dockerfile: 'ctx/Dockerfile', iidFile: '/t/iid', ociArchive: '/t/image.oci.tar', secretFiles: [] }
const inputs = (values: Partial<Record<Input, string>>) => parseInputs((name) => values[name] ?? '')
const tail = ['--iidfile', '/t/iid']

describe('getPodmanBuildArgs', () => {
  it.each([
    ['defaults', {}, paths, [...tail, '.']],
    ['context', { [Input.Context]: 'svc' }, paths, [...tail, 'svc']],
    ['target', { [Input.Target]: 'build' }, paths, ['--target', 'build', ...tail, '.']],
    ['platform', { [Input.Platform]: 'linux/arm64' }, paths, ['--platform', 'linux/arm64', ...tail, '.']],
    ['network', { [Input.Network]: 'none' }, paths, ['--network', 'none', ...tail, '.']],
    ['build args in order', { [Input.BuildArgs]: 'A=1\nB=2' }, paths, ['--build-arg', 'A=1', '--build-arg', 'B=2', ...tail, '.']],
    [
      'caches',
      { [Input.CacheFrom]: 'quay.io/acme/cache', [Input.CacheTo]: 'quay.io/acme/cache' },
      paths,
      ['--cache-from', 'quay.io/acme/cache', '--cache-to', 'quay.io/acme/cache', ...tail, '.']
    ],
    [
      'secrets as files',
      { [Input.Secrets]: 'token=abc' },
      { ...paths, secretFiles: [{ id: 'token', path: '/t/secret-0' }] },
      ['--secret', 'id=token,src=/t/secret-0', ...tail, '.']
    ]
  ])('%s', (_, values, buildPaths, expected) => {
    expect(getPodmanBuildArgs(inputs(values), buildPaths)).toEqual(['build', '--file', 'ctx/Dockerfile', ...expected])
  })
})

describe('explainPodmanFailure', () => {
  it("gives podman's reason and the step's last lines", () => {
    const output = [
      '[1/2] STEP 1/4: FROM image-size-gate/golang:1.19 AS build',
      '[1/2] STEP 4/4: RUN go build -o /out/service .',
      'main.go:3:1: syntax error: non-declaration statement outside function body',
      'Error: building at STEP "RUN go build -o /out/service .": while running runtime: exit status 1'
    ].join('\n')
    expect(explainPodmanFailure(output, 'ctx/Dockerfile')).toBe(
      [
        'podman build of ctx/Dockerfile failed: building at STEP "RUN go build -o /out/service .": while running runtime: exit status 1',
        'main.go:3:1: syntax error: non-declaration statement outside function body'
      ].join('\n')
    )
  })

  it('falls back to the last line when podman gave no Error line', () => {
    expect(explainPodmanFailure('something odd\n\n', 'Dockerfile')).toBe('podman build of Dockerfile failed: something odd')
  })
})
