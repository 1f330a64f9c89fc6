/**
 * The moment by which a step must be done. Every wait inside the step (a command, a request, a
 * backoff) takes what is left of it, so one figure bounds the whole step however its work is split.
 */
export class Deadline {
  private aborter: AbortSignal | undefined

  private constructor(
    /** The step's whole allowance, for messages ("no answer within 60 s"). */
    readonly ms: number,
    readonly at: number
  ) {}

  /** A deadline `ms` from now. */
  static in(ms: number): Deadline {
    const allowed = Math.max(0, ms)
    return new Deadline(allowed, Date.now() + allowed)
  }

  /** Milliseconds left, never negative. */
  left(): number {
    return Math.max(0, this.at - Date.now())
  }

  get expired(): boolean {
    return this.left() === 0
  }

  /** Aborts when the deadline passes; its timer does not keep the process alive. */
  get signal(): AbortSignal {
    this.aborter ??= AbortSignal.timeout(this.left())
    return this.aborter
  }
}
