/** Rewrites README.md's inputs and outputs tables from action.yml (`npm run readme`); run from the repository root. */
import { readFileSync, writeFileSync } from 'node:fs'
import { actionTables, withTables } from './action-tables.js'

const readme = readFileSync('README.md', 'utf8')
const updated = withTables(readme, actionTables(readFileSync('action.yml', 'utf8')))
writeFileSync('README.md', updated)
console.log(updated === readme ? 'README.md: tables already match action.yml' : 'README.md: tables rewritten from action.yml')
