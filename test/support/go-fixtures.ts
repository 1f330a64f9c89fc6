/**
 * The real binaries the engine-free integration tests read: built once by scripts/make-test-binaries.sh and
 * scripts/make-go-module-fixtures.sh (scripts/test.sh runs them before jest). Both skip what exists, and a
 * lock keeps two jest workers from building the same fixture at once.
 */
import { execFileSync } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = join(ROOT, 'test/.fixtures/bin')
export const GOMOD = join(ROOT, 'test/.fixtures/gomod')
export const GO124_ROOT = join(BIN, 'go1.24/usr/lib/go-1.24')
const LOCK = join(ROOT, 'test/.fixtures/.build.lock')

/** Builds whatever fixture is missing (minutes the first time, well under a second after). */
export function buildGoFixtures(): void {
  execFileSync('mkdir', ['-p', dirname(LOCK)])
  const run = (script: string, ...args: string[]): void => {
    execFileSync('flock', [LOCK, 'bash', join(ROOT, 'scripts', script), ...args], { stdio: ['ignore', 'ignore', 'inherit'] })
  }
  run('make-test-binaries.sh', BIN)
  run('make-go-module-fixtures.sh', GOMOD, GO124_ROOT)
}

/** The timeout for a beforeAll that may build every fixture from scratch. */
export const BUILD_TIMEOUT = 900_000
