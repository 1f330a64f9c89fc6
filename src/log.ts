/** Where progress goes: the Actions log in a workflow, stderr on a terminal. */
export interface Log {
  info(line: string): void
  warning(message: string): void
  /** Runs `body` with its output folded under `title`. */
  group<T>(title: string, body: () => Promise<T>): Promise<T>
}

/** A log that keeps nothing, for tests and `--json` runs. */
export const silentLog: Log = {
  info: () => undefined,
  warning: () => undefined,
  group: (_title, body) => body()
}
