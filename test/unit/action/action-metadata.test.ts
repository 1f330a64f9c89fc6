import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { Input, Output, parseInputs } from '../../../src/inputs.js'

const root = resolve(import.meta.dirname, '../../..')
const load = (path: string) => parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>

interface ActionYaml {
  name: string
  description: string
  author: string
  inputs: Record<string, { default?: string }>
  outputs: Record<string, unknown>
  runs: { using: string; main: string }
  branding: { icon: string; color: string }
}
const action = load('action.yml') as unknown as ActionYaml

interface Step {
  uses?: string
  with?: Record<string, unknown>
}
interface Job {
  needs?: string
  if?: string
  steps: Step[]
}
const workflows = readdirSync(join(root, '.github/workflows')).map((name) => ({ name, doc: load(`.github/workflows/${name}`) }))

describe('action.yml', () => {
  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(existsSync(join(root, action.runs.main))).toBe(true)
  })

  it('is ready for the Marketplace: a name, a description under 125 characters, an author and branding', () => {
    expect(action.name.trim()).not.toBe('')
    expect(action.description.length).toBeGreaterThan(0)
    expect(action.description.length).toBeLessThan(125)
    expect(action.description).not.toContain('\n')
    expect(action.author.trim()).not.toBe('')
    // The colors GitHub's metadata syntax allows; the icon must be one of the Feather icon names it lists.
    expect(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']).toContain(action.branding.color)
    expect(action.branding.icon).toMatch(/^[a-z][a-z0-9-]*$/)
  })

  it('has defaults that the input parser accepts', () => {
    expect(() => parseInputs((name) => action.inputs[name]?.default ?? '')).not.toThrow()
  })

  it('declares exactly the inputs and outputs the code reads and writes', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Input).sort())
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Output).sort())
  })
})

describe('workflows', () => {
  it('include CI, check-dist, self-test and release', () => {
    expect(workflows.map((workflow) => workflow.name).sort()).toEqual(['check-dist.yml', 'ci.yml', 'release.yml', 'self-test.yml'])
  })

  it.each(workflows)('$name has jobs whose steps each run or use something', ({ doc }) => {
    const jobs = doc['jobs'] as Record<string, { steps: (Step & { run?: string })[]; 'runs-on': string }>
    expect(Object.keys(jobs).length).toBeGreaterThan(0)
    for (const job of Object.values(jobs)) {
      expect(job['runs-on']).toBeTruthy()
      for (const step of job.steps) expect(Boolean(step.uses) !== Boolean(step.run)).toBe(true)
    }
  })

  it('self-test uses the action from this repository with declared inputs only', () => {
    const selfTest = workflows.find((workflow) => workflow.name === 'self-test.yml')?.doc
    const jobs = Object.values(selfTest?.['jobs'] as Record<string, { steps: Step[] }>)
    const local = jobs.flatMap((job) => job.steps).filter((step) => step.uses === './')
    expect(local.length).toBeGreaterThanOrEqual(2)
    for (const step of local) {
      for (const name of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(name)
    }
  })
})

describe('example workflows', () => {
  const examples = readdirSync(join(root, 'examples/workflows')).map((name) => ({ name, doc: load(`examples/workflows/${name}`) }))

  it('cover the PR check, budget on main, a matrix and the fork-safe pair', () => {
    expect(examples.map((example) => example.name).sort()).toEqual(
      expect.arrayContaining(['fork-safe-comment.yml', 'fork-safe-report.yml', 'main-budget.yml', 'matrix.yml', 'pr-check.yml'])
    )
  })

  it('post one comment from reports: the matrix after every job, the fork pair with no markdown or comment action crossing', () => {
    const jobsOf = (name: string) => examples.find((example) => example.name === name)?.doc['jobs'] as Record<string, Job>
    const matrix = Object.values(jobsOf('matrix.yml'))
    const final = matrix.find((job) => job.steps.some((step) => step.with?.['reports']))
    expect([final?.needs, final?.if]).toEqual(['image-size', "always() && github.event_name == 'pull_request'"])
    const fork = [...Object.values(jobsOf('fork-safe-report.yml')), ...Object.values(jobsOf('fork-safe-comment.yml'))].flatMap(
      (job) => job.steps
    )
    expect(fork.map((step) => step.uses?.split('@')[0])).not.toContain('marocchino/sticky-pull-request-comment')
    expect(JSON.stringify(fork)).not.toContain('comment-body')
    expect(fork.filter((step) => step.with?.['reports'])).toHaveLength(1)
  })

  it.each(examples)('$name uses only inputs the action declares', ({ doc }) => {
    const jobs = Object.values(doc['jobs'] as Record<string, { steps: Step[] }>)
    for (const step of jobs.flatMap((job) => job.steps)) {
      if (!step.uses?.startsWith('image-size-gate/image-size-gate@')) continue
      for (const name of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(name)
    }
  })
})
