import { describe, expect, it } from '@jest/globals'
import { Input, parseInputs } from '../../src/inputs.js'

const reader = (values: Partial<Record<Input, string>>) => (name: Input) => values[name] ?? ''

describe('parseInputs', () => {
  it('applies the documented defaults', () => {
    expect(parseInputs(reader({}))).toEqual({
      context: '.',
      file: '',
      target: '',
      buildArgs: [],
      platform: '',
      platforms: [],
      builder: '',
      cacheFrom: [],
      cacheTo: [],
      secrets: [],
      network: '',
      image: '',
      maxSize: undefined,
      sizeMetric: 'uncompressed',
      failOnGoToolchain: true,
      measureCompressed: true,
      baseline: 'auto',
      baselineImage: '',
      baselineReport: '',
      maxGrowth: undefined,
      comment: true,
      githubToken: '',
      commentKey: '',
      failOnBrokenEntrypoint: true,
      maxWasted: undefined
    })
  })

  it('reads lists, sizes and booleans', () => {
    const inputs = parseInputs(
      reader({
        [Input.BuildArgs]: 'BASE=scratch\n\nVERSION=1.2=3\n',
        [Input.CacheFrom]: 'type=gha\ntype=local,src=/tmp/c',
        [Input.Secrets]: 'token=abc=def',
        [Input.MaxSize]: '25 MiB',
        [Input.SizeMetric]: 'compressed',
        [Input.FailOnGoToolchain]: 'FALSE'
      })
    )
    expect(inputs.buildArgs).toEqual(['BASE=scratch', 'VERSION=1.2=3'])
    expect(inputs.cacheFrom).toEqual(['type=gha', 'type=local,src=/tmp/c'])
    expect(inputs.secrets).toEqual([{ id: 'token', value: 'abc=def' }])
    expect(inputs.maxSize).toBe(25 * 1024 * 1024)
    expect(inputs.sizeMetric).toBe('compressed')
    expect(inputs.failOnGoToolchain).toBe(false)
  })

  it('reads platforms as a comma or newline list, like build-push-action', () => {
    expect(parseInputs(reader({ [Input.Platforms]: 'linux/amd64, linux/arm64\nlinux/arm64' })).platforms).toEqual(['linux/amd64', 'linux/arm64'])
    expect(parseInputs(reader({ [Input.Platform]: 'linux/arm64' })).platforms).toEqual(['linux/arm64'])
    expect(() => parseInputs(reader({ [Input.Platform]: 'linux/arm64', [Input.Platforms]: 'linux/amd64' }))).toThrow(
      'platforms: set either platform or platforms, not both'
    )
  })

  it('reads growth budgets as a percentage or a size', () => {
    expect(parseInputs(reader({ [Input.MaxGrowth]: '10%' })).maxGrowth).toEqual({ kind: 'percent', value: 10 })
    expect(parseInputs(reader({ [Input.MaxGrowth]: '2.5 %' })).maxGrowth).toEqual({ kind: 'percent', value: 2.5 })
    expect(parseInputs(reader({ [Input.MaxGrowth]: '5MB' })).maxGrowth).toEqual({ kind: 'bytes', value: 5_000_000 })
  })

  it.each([
    [{ [Input.MaxSize]: 'twelve megs' }, "max-size: cannot read 'twelve megs' as a size; use e.g. 25MB, 25MiB, 0.5GB or a byte count"],
    [{ [Input.SizeMetric]: 'gzipped' }, "size-metric: 'gzipped' is not a metric; use uncompressed or compressed"],
    [{ [Input.FailOnGoToolchain]: 'yes' }, "fail-on-go-toolchain: expected true or false, got 'yes'"],
    [{ [Input.BuildArgs]: 'NOEQUALS' }, "build-args: 'NOEQUALS' is not KEY=VALUE"],
    [{ [Input.Platform]: 'linux/amd64,linux/arm64' }, 'platform: give one platform, not 2 (linux/amd64, linux/arm64)'],
    [{ [Input.Secrets]: '=x' }, 'secrets: each line must be id=value'],
    [{ [Input.Baseline]: 'main' }, "baseline: 'main' is not a baseline mode; use auto, build or none"],
    [{ [Input.MaxGrowth]: 'a lot' }, "max-growth: cannot read 'a lot' as a growth budget; use e.g. 10% or 5MB"],
    [{ [Input.Comment]: 'sometimes' }, "comment: expected true or false, got 'sometimes'"],
    [{ [Input.MaxWasted]: 'some' }, "max-wasted: cannot read 'some' as a waste budget; use e.g. 10% or 5MB"],
    [{ [Input.FailOnBrokenEntrypoint]: 'no' }, "fail-on-broken-entrypoint: expected true or false, got 'no'"]
  ])('rejects %p with a message naming the input', (values, message) => {
    expect(() => parseInputs(reader(values))).toThrow(message)
  })
})
