/**
 * Imported first by both entry points. V8 doubles the young generation while allocation churns, and a
 * bigger young generation keeps more dead stream buffers alive between scavenges: about 30 MB of peak RSS
 * on a 600 MB image. An action cannot pass heap flags on the command line (runs.main is a file), but
 * this flag is read each time the young generation would grow, so setting it at start-up still works.
 */
import { setFlagsFromString } from 'node:v8'

setFlagsFromString('--semi-space-growth-factor=1')
