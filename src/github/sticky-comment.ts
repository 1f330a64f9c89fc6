/**
 * Which of this account's marked comments is the sticky one. Two runs racing on one pull request
 * (a re-run, two quick pushes) can each create one; the oldest is kept, so links to it stay valid.
 */

/** One of this account's comments that starts with the key's marker. */
export interface StickyComment {
  id: number
  body: string
  url: string
  /** GitHub's created_at, an ISO 8601 UTC timestamp. */
  createdAt: string
}

/** What to do after writing: keep one comment, give it our text if it lacks it, delete the rest. */
export interface DuplicatePlan {
  keep: StickyComment
  /** The kept comment is not the one we wrote, and its text is not ours. */
  rewrite: boolean
  remove: StickyComment[]
}

/** Oldest first: by creation time, then by id, which GitHub hands out in increasing order. */
export function byAge(a: StickyComment, b: StickyComment): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1
  return a.id - b.id
}

/** The oldest of the comments, or undefined when there are none. */
export function oldestOf(comments: StickyComment[]): StickyComment | undefined {
  return [...comments].sort(byAge)[0]
}

/**
 * Settles the comments found after we wrote `written` with `text`. Ours counts even when the
 * listing missed it (a racing run deleted it, or the listing was stale), so our text survives.
 */
export function planDuplicates(found: StickyComment[], written: StickyComment, text: string): DuplicatePlan {
  const all = found.some((comment) => comment.id === written.id) ? found : [...found, written]
  const [keep = written, ...remove] = [...all].sort(byAge)
  return { keep, rewrite: keep.id !== written.id && keep.body !== text, remove }
}
