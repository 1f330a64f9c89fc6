/**
 * The folder rule of docs/development.md, checked by `npm run lint`. Stages are named by
 * folder, not by file, so files may move inside a stage without touching this.
 *
 * The pipeline, top to bottom: a folder may import the folders below it and the shared files at the
 * top of src/, never one above it. engine/ (the outside programs) sits beside the pipeline: only the
 * orchestration above the stages calls it, and it imports none of them.
 */
const PIPELINE = ['action', 'run', 'github', 'history', 'judge', 'report', 'findings', 'model', 'archive', 'binary']
/** The stages that are pure: they neither run commands nor call engine/. */
const PURE = ['github', 'history', 'judge', 'report', 'findings', 'model', 'archive', 'binary']

const folder = (names) => `^src/(${names.join('|')})/`
const SHARED = '^src/[^/]+\\.ts$'

/** One rule per stage: nothing above it in the pipeline. */
const upward = PIPELINE.slice(1).map((name, index) => ({
  name: `no-import-up-from-${name}`,
  comment: `${name}/ imports only the stages below it (${PIPELINE.slice(index + 2).join(', ') || 'none'}), engine/ where allowed, and the shared files`,
  severity: 'error',
  from: { path: folder([name]) },
  to: { path: folder(PIPELINE.slice(0, index + 1)) }
}))

/** A package only one folder may import, as the module that owns that outside system. */
const owned = (pkg, owner) => ({
  name: `only-${owner}-imports-${pkg.replace(/[@/]/g, '-').replace(/^-/, '')}`,
  comment: `${pkg} is imported by ${owner}/ alone`,
  severity: 'error',
  from: { pathNot: folder([owner]) },
  to: { path: `(^|/)node_modules/${pkg}/` }
})

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'imports never go in a circle',
      severity: 'error',
      from: {},
      to: { circular: true }
    },
    ...upward,
    {
      name: 'engine-imports-no-stage',
      comment: 'engine/ runs outside programs; it imports nothing of the pipeline, only engine/ and the shared files',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/', pathNot: ['^src/engine/', SHARED] }
    },
    {
      name: 'pure-stages-call-no-engine',
      comment: 'the pure stages never run commands: only run/ and action/ call engine/',
      severity: 'error',
      from: { path: folder(PURE) },
      to: { path: '^src/engine/' }
    },
    {
      name: 'shared-files-import-no-folder',
      comment: 'the shared files at the top of src/ are the ground floor; only index.ts starts the action',
      severity: 'error',
      from: { path: SHARED, pathNot: '^src/index\\.ts$' },
      to: { path: '^src/[^/]+/' }
    },
    owned('@actions/exec', 'engine'),
    owned('@actions/github', 'github'),
    owned('@actions/core', 'action')
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|build|node_modules)/' }
  }
}
