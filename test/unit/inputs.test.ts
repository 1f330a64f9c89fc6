import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/errors.js'
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
      maxWasted: undefined,
      history: '',
      reports: [],
      expectReports: undefined,
      warnSize: undefined,
      growthScope: 'image',
      commentThreshold: undefined,
      engine: 'docker'
    })
  })

  it('reads the engine, and names the input when it is neither docker nor podman', () => {
    expect(parseInputs(reader({ [Input.Engine]: ' podman ' })).engine).toBe('podman')
    expect(() => parseInputs(reader({ [Input.Engine]: 'kaniko' }))).toThrow("engine: 'kaniko' is not an engine; use docker or podman")
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
    expect(parseInputs(reader({ [Input.Platforms]: 'linux/amd64, linux/arm64\nlinux/arm/v7' })).platforms).toEqual([
      'linux/amd64',
      'linux/arm64',
      'linux/arm/v7'
    ])
    expect(parseInputs(reader({ [Input.Platforms]: '\n# the two we ship\nlinux/amd64\n\nlinux/arm64\n' })).platforms).toEqual([
      'linux/amd64',
      'linux/arm64'
    ])
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

  it('allows a zero growth or waste budget: nothing may grow, nothing may be wasted', () => {
    expect(parseInputs(reader({ [Input.MaxGrowth]: '0' })).maxGrowth).toEqual({ kind: 'bytes', value: 0 })
    expect(parseInputs(reader({ [Input.MaxGrowth]: '0%' })).maxGrowth).toEqual({ kind: 'percent', value: 0 })
    expect(parseInputs(reader({ [Input.MaxWasted]: '0B' })).maxWasted).toEqual({ kind: 'bytes', value: 0 })
  })

  it('takes a history branch name, and refuses one git could read as an option or another ref', () => {
    expect(parseInputs(reader({ [Input.History]: ' image-size-history ' })).history).toBe('image-size-history')
    expect(parseInputs(reader({ [Input.History]: 'sizes/main' })).history).toBe('sizes/main')
    for (const bad of [
      '-x',
      'a..b',
      'a b',
      'refs/heads/x:y',
      'x.lock',
      'x/',
      '@',
      'a@{1}',
      '.hidden',
      'a//b',
      'HEAD',
      'refs/heads/main',
      'refs/x'
    ]) {
      expect(() => parseInputs(reader({ [Input.History]: bad }))).toThrow(
        new UserError(`history: '${bad}' is not a branch name; use letters, digits and . _ - /, e.g. image-size-history`)
      )
    }
  })

  it('takes a printable comment-key of up to 100 characters', () => {
    expect(parseInputs(reader({ [Input.CommentKey]: ` ${'k'.repeat(100)} ` })).commentKey).toBe('k'.repeat(100))
    expect(parseInputs(reader({ [Input.CommentKey]: 'api · linux/arm64 🐳' })).commentKey).toBe('api · linux/arm64 🐳')
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
    [{ [Input.FailOnBrokenEntrypoint]: 'no' }, "fail-on-broken-entrypoint: expected true or false, got 'no'"],
    [{ [Input.MaxSize]: '0' }, "max-size: '0' is 0 bytes; give a size above zero, e.g. 25MB"],
    [{ [Input.MaxSize]: '0.4B' }, "max-size: '0.4B' is 0 bytes; give a size above zero, e.g. 25MB"],
    [{ [Input.MaxSize]: '1e305TB' }, "max-size: '1e305TB' is too large to be a size; use e.g. 25MB or 2GB"],
    [{ [Input.MaxSize]: '1e400' }, "max-size: '1e400' is too large to be a size; use e.g. 25MB or 2GB"],
    [{ [Input.MaxGrowth]: '1e305TB' }, "max-growth: '1e305TB' is too large to be a size; use e.g. 25MB or 2GB"],
    [{ [Input.MaxGrowth]: `${'9'.repeat(400)}%` }, `max-growth: '${'9'.repeat(400)}%' is too large to be a percentage; use e.g. 10%`],
    [{ [Input.MaxWasted]: '20000TB' }, "max-wasted: '20000TB' is too large to be a size; use e.g. 25MB or 2GB"],
    [
      { [Input.Platforms]: 'linux' },
      "platforms: 'linux' is not a platform; use os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7"
    ],
    [
      { [Input.Platforms]: 'linux/amd64/v2/x' },
      "platforms: 'linux/amd64/v2/x' is not a platform; use os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7"
    ],
    [
      { [Input.Platforms]: 'linux amd64' },
      "platforms: 'linux amd64' is not a platform; use os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7"
    ],
    [
      { [Input.Platforms]: 'linux/amd64,,linux/arm64' },
      "platforms: 'linux/amd64,,linux/arm64' has an empty entry; separate platforms with one comma"
    ],
    [{ [Input.Platforms]: 'linux/amd64,' }, "platforms: 'linux/amd64,' has an empty entry; separate platforms with one comma"],
    [{ [Input.Platforms]: 'linux/arm64, linux/amd64\nlinux/arm64' }, "platforms: 'linux/arm64' is listed twice; list each platform once"],
    [
      { [Input.Platforms]: 'linux/arm64\nLinux/ARM64/v8' },
      "platforms: 'Linux/ARM64/v8' is listed twice (as 'linux/arm64'); list each platform once"
    ],
    [
      { [Input.Platform]: 'linux/' },
      "platform: 'linux/' is not a platform; use os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7"
    ],
    [{ [Input.CommentKey]: 'k'.repeat(101) }, 'comment-key: the key is 101 characters long; give at most 100'],
    [
      { [Input.CommentKey]: 'api\nlinux' },
      'comment-key: the key contains the unprintable character U+000A; use printable text on one line'
    ],
    [
      { [Input.CommentKey]: 'api\u202Eetad' },
      'comment-key: the key contains the unprintable character U+202E; use printable text on one line'
    ]
  ])('rejects %p with a message naming the input', (values, message) => {
    expect(() => parseInputs(reader(values))).toThrow(new Error(message))
  })
})
