/**
 * Headless Chromium for the tests that render what GitHub would show: Debian's chromium, installed by
 * scripts/setup-chromium.sh, and mermaid's browser bundle from node_modules (no CDN).
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser } from 'playwright-core'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** Installs Chromium when it is missing, then starts it headless. */
export async function launchChromium(): Promise<Browser> {
  execFileSync('bash', [join(ROOT, 'scripts/setup-chromium.sh')], { stdio: ['ignore', 'ignore', 'inherit'] })
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] })
}

/** The mermaid bundle a page loads with addScriptTag, read once when first asked for. */
export function mermaidBundle(): string {
  bundle ??= readFileSync(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'), 'utf8')
  return bundle
}
let bundle: string | undefined
