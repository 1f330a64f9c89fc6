/**
 * Every rule a finding can carry. The one list: the `Rule` type, the report's schema and the test that
 * each rule has its page under docs/rules/ all derive from it.
 */
export const RULES = [
  'go-toolchain',
  'size-budget',
  'size-growth',
  'size-warning',
  'missing-entrypoint',
  'missing-interpreter',
  'missing-library',
  'missing-ca-certificates',
  'missing-tzdata',
  'unstripped-binary',
  'build-cache',
  'wasted-bytes',
  'root-user'
] as const

export type Rule = (typeof RULES)[number]
