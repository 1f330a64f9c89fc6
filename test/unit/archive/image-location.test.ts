import { describe, expect, it } from '@jest/globals'
import { describeLocation, parseImageLocation, type ImageLocation } from '../../../src/archive/image-location.js'

const engine = (name: string): ImageLocation => ({ transport: 'engine', name })

describe('parseImageLocation', () => {
  it.each<[string, ImageLocation]>([
    ['my-service:ci', engine('my-service:ci')],
    ['', engine('')],
    ['localhost:5000/acme/svc:1', engine('localhost:5000/acme/svc:1')],
    ['ghcr.io/acme/svc@sha256:' + 'a'.repeat(64), engine('ghcr.io/acme/svc@sha256:' + 'a'.repeat(64))],
    ['docker:24', engine('docker:24')],
    ['dir:1.0', engine('dir:1.0')],
    ['docker-daemon:acme/svc:1', engine('acme/svc:1')],
    ['oci-archive:svc.tar', { transport: 'oci-archive', path: 'svc.tar', ref: '' }],
    ['oci-archive:/tmp/svc.tar:latest', { transport: 'oci-archive', path: '/tmp/svc.tar', ref: 'latest' }],
    ['oci-archive:svc.tar:localhost/acme/svc:1', { transport: 'oci-archive', path: 'svc.tar', ref: 'localhost/acme/svc:1' }],
    ['oci:./layout', { transport: 'oci', path: './layout', ref: '' }],
    ['oci:layout:svc', { transport: 'oci', path: 'layout', ref: 'svc' }],
    ['docker-archive:svc.tar', { transport: 'docker-archive', path: 'svc.tar', ref: '' }],
    ['docker-archive:svc.tar:acme/svc:1', { transport: 'docker-archive', path: 'svc.tar', ref: 'acme/svc:1' }],
    ['docker-archive:svc.tar:@1', { transport: 'docker-archive', path: 'svc.tar', ref: '@1' }],
    ['  oci:layout  ', { transport: 'oci', path: 'layout', ref: '' }]
  ])('%j', (text, location) => {
    expect(parseImageLocation(text, 'image')).toEqual(location)
  })

  it.each([
    ['oci-archive:', "image: 'oci-archive:' names no file; use oci-archive:PATH or oci-archive:PATH:REF"],
    ['oci::latest', "image: 'oci::latest' names no file; use oci:PATH or oci:PATH:REF"],
    ['oci:layout:', "image: 'oci:layout:' has an empty or unprintable REF after the path; give a name such as oci:layout:app"],
    ['oci:layout:@0', "image: 'oci:layout:@0': an @N index is a docker-archive's; an oci layout is narrowed by its ref name"],
    ['docker://acme/svc:1', 'image: the docker: transport is not read here; use oci-archive:, oci:, docker-archive: or a local image name'],
    [
      'containers-storage:localhost/svc',
      'image: the containers-storage: transport is not read here; use oci-archive:, oci:, docker-archive: or a local image name'
    ],
    ['dir:/tmp/image', 'image: the dir: transport is not read here; use oci-archive:, oci:, docker-archive: or a local image name'],
    ['my image', "image: 'my image' is not an image name: it contains white space"]
  ])('refuses %j in one sentence naming the input', (text, message) => {
    expect(() => parseImageLocation(text, 'image')).toThrow(message)
  })

  it('names the input it was given', () => {
    expect(() => parseImageLocation('oci-archive:', 'baseline-image')).toThrow(/^baseline-image: /)
  })

  it('describes a location as it was written', () => {
    expect(describeLocation(parseImageLocation('docker-archive:svc.tar:acme/svc:1', 'image'))).toBe('docker-archive:svc.tar:acme/svc:1')
    expect(describeLocation(parseImageLocation('oci:layout', 'image'))).toBe('oci:layout')
    expect(describeLocation(parseImageLocation('svc:1', 'image'))).toBe('svc:1')
  })
})
