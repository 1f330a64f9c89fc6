/**
 * Where each rule's page is: docs/rules/<rule>.md in the action's own repository, at the ref the
 * running code came from, so a message links to the page that describes the rule it applied.
 */
import type { Rule } from '../findings/rule.js'

/** The rule pages of one repository at one ref: the URL that `<rule>.md` is appended to. */
export interface RulePages {
  base: string
}

const SERVER = 'https://github.com'
const HOME_REPOSITORY = 'image-size-gate/image-size-gate'
const PAGES_PATH = 'docs/rules'

/** `owner/name` as GitHub allows it; anything else in the environment is not trusted to build a URL. */
const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/
/** A branch, tag or commit: printable, no spaces, no `..` step; each segment is percent-encoded anyway. */
const REF = /^(?!.*\.\.)[\x21-\x7E]{1,255}$/

/**
 * The pages of the default branch: every rule the code on it emits has a page there (a unit test holds
 * that), so the CLI and a checkout run with `uses: ./` link to pages that exist.
 */
export const DEFAULT_RULE_PAGES: RulePages = pagesAt(HOME_REPOSITORY, 'main')

/**
 * The pages of the action's own repository and ref, which the runner sets for a `uses:` step
 * (`GITHUB_ACTION_REPOSITORY`, `GITHUB_ACTION_REF`); the default branch's pages when either is unset
 * or not a plain repository and ref.
 */
export function rulePagesOf(env: Readonly<Record<string, string | undefined>>): RulePages {
  const [repository = '', ref = ''] = [env['GITHUB_ACTION_REPOSITORY'], env['GITHUB_ACTION_REF']]
  return REPOSITORY.test(repository) && REF.test(ref) ? pagesAt(repository, ref) : DEFAULT_RULE_PAGES
}

/** The URL of one rule's page. */
export function rulePage(pages: RulePages, rule: Rule): string {
  return `${pages.base}${rule}.md`
}

function pagesAt(repository: string, ref: string): RulePages {
  const path = ref.split('/').map(encodeURIComponent).join('/')
  return { base: `${SERVER}/${repository}/blob/${path}/${PAGES_PATH}/` }
}
