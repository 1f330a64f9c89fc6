/**
 * How many bytes the engine says a layer weighs. Moby's classic store sizes a layer once, when it
 * registers it, and the way it registers it decides what it counts; a layer tar shows none of that.
 */

/** The figures a layer scan counts, from which every engine rule is a sum. */
export interface LayerBytes {
  /** Bodies of regular-file entries; a hard link's entry has none, so each inode counts once. */
  regular: number
  /** Lengths of symlink targets, which lstat reports as a symlink's size. */
  symlinkTargets: number
}

/**
 * How the engine's layer store came to hold a layer:
 * - `committed`: the engine's own BuildKit exported it from a snapshot (RUN, COPY, ADD of `docker build`);
 * - `applied`: the store unpacked a tar into a fresh directory (`docker pull`, `load`, `import`, the legacy builder's commits).
 */
export type LayerOrigin = 'committed' | 'applied'

/** The layer's size as `docker history` and `docker image inspect` count it on overlay2. */
export function engineLayerSize(bytes: LayerBytes, origin: LayerOrigin): number {
  // moby layer.ChecksumForGraphID (builder-next EnsureLayer): packSizeCounter sums tar header sizes, 0 for links and symlinks.
  if (origin === 'committed') return bytes.regular
  // moby layerStore.applyTar → overlay2 Driver.ApplyDiff → directory.Size: lstat size of each non-directory, once per inode.
  return bytes.regular + bytes.symlinkTargets
}

/**
 * Which registration the engine's own figure for the layer shows. Without that figure the layer is
 * sized as a pull or `docker load` of the archive would size it, since that is how any other engine gets it.
 */
export function layerOrigin(bytes: LayerBytes, engineSize: number | undefined): LayerOrigin {
  const committed = engineSize !== undefined && engineSize === engineLayerSize(bytes, 'committed')
  return committed && engineSize !== engineLayerSize(bytes, 'applied') ? 'committed' : 'applied'
}
