#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:v8"
const external_node_v8_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:v8");
;// CONCATENATED MODULE: ./src/heap.ts
/**
 * Imported first by both entry points. V8 doubles the young generation while allocation churns, and a
 * bigger young generation keeps more dead stream buffers alive between scavenges: about 30 MB of peak RSS
 * on a 600 MB image. An action cannot pass heap flags on the command line (runs.main is a file), but
 * this flag is read each time the young generation would grow, so setting it at start-up still works.
 */

(0,external_node_v8_namespaceObject.setFlagsFromString)('--semi-space-growth-factor=1');

;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./src/errors.ts
/**
 * An error the user can act on. Its message is one sentence that names the input,
 * file or stage at fault; the run() boundary prints it without a stack trace.
 */
class UserError extends Error {
    name = 'UserError';
}
/** Turns anything thrown into a message, without assuming it is an Error. */
function messageOf(error) {
    if (error instanceof Error)
        return error.message;
    return String(error);
}

;// CONCATENATED MODULE: ./src/size.ts

/** Multipliers for every unit `parseSize` accepts; kB/MB/GB are decimal, KiB/MiB/GiB binary. */
const UNITS = new Map([
    ['', 1],
    ['b', 1],
    ['k', 1e3],
    ['kb', 1e3],
    ['m', 1e6],
    ['mb', 1e6],
    ['g', 1e9],
    ['gb', 1e9],
    ['t', 1e12],
    ['tb', 1e12],
    ['kib', 1024],
    ['mib', 1024 ** 2],
    ['gib', 1024 ** 3],
    ['tib', 1024 ** 4]
]);
const SIZE_PATTERN = /^([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-z]*)$/i;
const PERCENT_PATTERN = /^([0-9]*\.?[0-9]+)\s*%$/;
/** The bytes `text` names, rounded, or undefined when it is not a size at all; not range-checked. */
function bytesOf(text) {
    const match = SIZE_PATTERN.exec(text.trim());
    const multiplier = match ? UNITS.get((match[2] ?? '').toLowerCase()) : undefined;
    return match && multiplier !== undefined ? Math.round(Number(match[1]) * multiplier) : undefined;
}
/**
 * Reads a human size such as `25MB`, `25 MB`, `25MiB`, `0.5GB`, `1.2e7` or `1048576`: a whole number
 * of bytes, exact in a double, above zero unless `zero` allows 0. `input` names the setting in the error.
 */
function parseSize(text, input, { zero = false } = {}) {
    const bytes = bytesOf(text);
    if (bytes === undefined) {
        throw new UserError(`${input}: cannot read '${text}' as a size; use e.g. 25MB, 25MiB, 0.5GB or a byte count`);
    }
    // 1e305TB is Infinity; past 2^53 bytes (9 PB) a double no longer counts single bytes.
    if (!Number.isSafeInteger(bytes))
        throw new UserError(`${input}: '${text.trim()}' is too large to be a size; use e.g. 25MB or 2GB`);
    if (bytes === 0 && !zero)
        throw new UserError(`${input}: '${text.trim()}' is 0 bytes; give a size above zero, e.g. 25MB`);
    return bytes;
}
/** Like parseSize, but an empty value means "not set". */
function parseOptionalSize(text, input) {
    return text.trim() === '' ? undefined : parseSize(text, input);
}
/** `10%` or a size such as `5MB` (0 allowed: nothing may grow, or be wasted); empty means no limit. */
function parseLimit(text, input, what) {
    const value = text.trim();
    if (value === '')
        return undefined;
    const percent = PERCENT_PATTERN.exec(value);
    if (!percent && bytesOf(value) === undefined)
        throw new UserError(`${input}: cannot read '${value}' as ${what}; use e.g. 10% or 5MB`);
    if (!percent)
        return { kind: 'bytes', value: parseSize(value, input, { zero: true }) };
    const share = Number(percent[1]);
    if (!Number.isFinite(share))
        throw new UserError(`${input}: '${value}' is too large to be a percentage; use e.g. 10%`);
    return { kind: 'percent', value: share };
}
const DECIMAL_STEPS = ['B', 'kB', 'MB', 'GB', 'TB'];
/** Formats bytes with decimal units (as `docker image ls` does), three significant digits. */
function size_formatBytes(bytes) {
    let value = Math.abs(bytes);
    let step = 0;
    while (value >= 1000 && step < DECIMAL_STEPS.length - 1) {
        value /= 1000;
        step++;
    }
    const sign = bytes < 0 ? '-' : '';
    const digits = step === 0 ? 0 : value >= 100 ? 0 : value >= 10 ? 1 : 2;
    return `${sign}${value.toFixed(digits)} ${DECIMAL_STEPS[step]}`;
}
/** A signed size change, e.g. `+1.20 MB` or `-300 B`; zero is `±0 B`. */
function size_formatDelta(bytes) {
    if (bytes === 0)
        return '±0 B';
    return bytes > 0 ? `+${size_formatBytes(bytes)}` : size_formatBytes(bytes);
}
/** A ratio as a signed percentage with one decimal, e.g. `+12.5%`. */
function formatPercent(delta, base) {
    if (base === 0)
        return delta === 0 ? '±0%' : 'new';
    const percent = (delta / base) * 100;
    if (Math.abs(percent) < 0.05)
        return '±0%';
    return `${percent > 0 ? '+' : ''}${percent.toFixed(1)}%`;
}

;// CONCATENATED MODULE: ./src/inputs.ts


/** Input names, exactly as in action.yml (build inputs follow docker/build-push-action). */
var Input;
(function (Input) {
    Input["Context"] = "context";
    Input["File"] = "file";
    Input["Target"] = "target";
    Input["BuildArgs"] = "build-args";
    Input["Platform"] = "platform";
    Input["Platforms"] = "platforms";
    Input["Builder"] = "builder";
    Input["CacheFrom"] = "cache-from";
    Input["CacheTo"] = "cache-to";
    Input["Secrets"] = "secrets";
    Input["Network"] = "network";
    Input["Image"] = "image";
    Input["MaxSize"] = "max-size";
    Input["SizeMetric"] = "size-metric";
    Input["FailOnGoToolchain"] = "fail-on-go-toolchain";
    Input["Baseline"] = "baseline";
    Input["BaselineImage"] = "baseline-image";
    Input["BaselineReport"] = "baseline-report";
    Input["MaxGrowth"] = "max-growth";
    Input["Comment"] = "comment";
    Input["GithubToken"] = "github-token";
    Input["CommentKey"] = "comment-key";
    Input["FailOnBrokenEntrypoint"] = "fail-on-broken-entrypoint";
    Input["MaxWasted"] = "max-wasted";
})(Input || (Input = {}));
var Output;
(function (Output) {
    Output["ImageId"] = "image-id";
    Output["Size"] = "size";
    Output["CompressedSize"] = "compressed-size";
    Output["Layers"] = "layers";
    Output["GoToolchain"] = "go-toolchain";
    Output["Passed"] = "passed";
    Output["Report"] = "report";
    Output["BaselineSize"] = "baseline-size";
    Output["BaselineCompressedSize"] = "baseline-compressed-size";
    Output["SizeDelta"] = "size-delta";
    Output["CompressedSizeDelta"] = "compressed-size-delta";
    Output["CommentBody"] = "comment-body";
    Output["CommentUrl"] = "comment-url";
})(Output || (Output = {}));
const SIZE_METRICS = ['uncompressed', 'compressed'];
/** Validates every input, throwing a UserError that names the first bad one. */
function parseInputs(read) {
    const sizeMetric = read(Input.SizeMetric).trim() || 'uncompressed';
    if (!SIZE_METRICS.includes(sizeMetric)) {
        throw new UserError(`${Input.SizeMetric}: '${sizeMetric}' is not a metric; use uncompressed or compressed`);
    }
    return {
        context: read(Input.Context).trim() || '.',
        file: read(Input.File).trim(),
        target: read(Input.Target).trim(),
        buildArgs: parseList(read(Input.BuildArgs), false).map((arg) => checkBuildArg(arg)),
        platform: parsePlatform(read(Input.Platform)),
        platforms: parsePlatforms(read(Input.Platform), read(Input.Platforms)),
        builder: read(Input.Builder).trim(),
        cacheFrom: parseList(read(Input.CacheFrom), false),
        cacheTo: parseList(read(Input.CacheTo), false),
        secrets: parseList(read(Input.Secrets), false).map(parseSecret),
        network: read(Input.Network).trim(),
        image: read(Input.Image).trim(),
        maxSize: parseOptionalSize(read(Input.MaxSize), Input.MaxSize),
        sizeMetric: sizeMetric,
        failOnGoToolchain: parseBoolean(read(Input.FailOnGoToolchain), Input.FailOnGoToolchain, true),
        measureCompressed: true,
        baseline: parseBaselineMode(read(Input.Baseline)),
        baselineImage: read(Input.BaselineImage).trim(),
        baselineReport: read(Input.BaselineReport).trim(),
        maxGrowth: parseLimit(read(Input.MaxGrowth), Input.MaxGrowth, 'a growth budget'),
        comment: parseBoolean(read(Input.Comment), Input.Comment, true),
        githubToken: read(Input.GithubToken).trim(),
        commentKey: parseCommentKey(read(Input.CommentKey)),
        failOnBrokenEntrypoint: parseBoolean(read(Input.FailOnBrokenEntrypoint), Input.FailOnBrokenEntrypoint, true),
        maxWasted: parseLimit(read(Input.MaxWasted), Input.MaxWasted, 'a waste budget')
    };
}
const BASELINE_MODES = ['auto', 'build', 'none'];
function parseBaselineMode(text) {
    const mode = text.trim() || 'auto';
    if (!BASELINE_MODES.includes(mode)) {
        throw new UserError(`${Input.Baseline}: '${mode}' is not a baseline mode; use auto, build or none`);
    }
    return mode;
}
/** Newline-separated lists; with `commas`, commas separate too (as build-push-action's list inputs). */
function parseList(text, commas) {
    return text
        .split(commas ? /[\n,]/ : /\n/)
        .map((item) => item.trim())
        .filter((item) => item !== '' && !item.startsWith('#'));
}
function parseBoolean(text, input, fallback) {
    const value = text.trim().toLowerCase();
    if (value === '')
        return fallback;
    if (value === 'true')
        return true;
    if (value === 'false')
        return false;
    throw new UserError(`${input}: expected true or false, got '${text.trim()}'`);
}
function checkBuildArg(arg) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) {
        throw new UserError(`${Input.BuildArgs}: '${arg}' is not KEY=VALUE`);
    }
    return arg;
}
function parsePlatform(text) {
    const platforms = platformList(text, Input.Platform);
    if (platforms.length > 1) {
        throw new UserError(`${Input.Platform}: give one platform, not ${platforms.length} (${platforms.join(', ')})`);
    }
    return platforms[0] ?? '';
}
/** `platforms` as build-push-action reads it: a comma or newline list; `platform` is the one-item form. */
function parsePlatforms(single, list) {
    const platforms = platformList(list, Input.Platforms);
    if (platforms.length > 0 && single.trim() !== '') {
        throw new UserError(`${Input.Platforms}: set either platform or platforms, not both`);
    }
    return platforms.length > 0 ? platforms : platformList(single, Input.Platform).slice(0, 1);
}
// containerd's platform specifier components: os/arch[/variant], each [A-Za-z0-9_-]+.
const PLATFORM_PATTERN = /^[a-z0-9_-]+\/[a-z0-9_-]+(?:\/[a-z0-9_-]+)?$/i;
/** Checks every entry of a platform list: blank lines and `#` lines are skipped, an empty item between commas is not. */
function platformList(text, input) {
    const seen = new Map();
    for (const line of text.split('\n').map((each) => each.trim())) {
        if (line === '' || line.startsWith('#'))
            continue;
        for (const platform of line.split(',').map((item) => item.trim())) {
            if (platform === '')
                throw new UserError(`${input}: '${line}' has an empty entry; separate platforms with one comma`);
            if (!PLATFORM_PATTERN.test(platform)) {
                throw new UserError(`${input}: '${platform}' is not a platform; use os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7`);
            }
            const same = seen.get(platformKey(platform));
            if (same !== undefined)
                throw new UserError(`${input}: '${platform}' is listed twice${same === platform ? '' : ` (as '${same}')`}; list each platform once`);
            seen.set(platformKey(platform), platform);
        }
    }
    return [...seen.values()];
}
/** What the engine treats as one platform: names are case-insensitive, and arm64 means arm64/v8. */
function platformKey(platform) {
    return platform.toLowerCase().replace(/^([^/]+\/arm64)\/v8$/, '$1');
}
/** Long enough for any name, short enough that the marker carrying it stays small. */
const MAX_COMMENT_KEY_LENGTH = 100;
/** The sticky comment's key: printable, on one line, at most 100 characters. */
function parseCommentKey(text) {
    const key = text.trim();
    const length = [...key].length;
    if (length > MAX_COMMENT_KEY_LENGTH) {
        throw new UserError(`${Input.CommentKey}: the key is ${length} characters long; give at most ${MAX_COMMENT_KEY_LENGTH}`);
    }
    const hidden = /[\p{C}\p{Zl}\p{Zp}]/u.exec(key)?.[0];
    if (hidden !== undefined) {
        const code = `U+${(hidden.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
        throw new UserError(`${Input.CommentKey}: the key contains the unprintable character ${code}; use printable text on one line`);
    }
    return key;
}
/** build-push-action's `secrets` form: `id=value` per line. */
function parseSecret(line) {
    const equals = line.indexOf('=');
    if (equals <= 0)
        throw new UserError(`${Input.Secrets}: each line must be id=value`);
    return { id: line.slice(0, equals).trim(), value: line.slice(equals + 1) };
}

;// CONCATENATED MODULE: ./src/log.ts
/** A log that keeps nothing, for tests and `--json` runs. */
const silentLog = {
    info: () => undefined,
    warning: () => undefined,
    group: (_title, body) => body()
};

;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: external "node:events"
const external_node_events_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");
;// CONCATENATED MODULE: ./src/duration.ts
/** `120000` → `120 s`, `1500` → `1.5 s`: durations in messages, formatted in one place. */
function seconds(ms) {
    return `${Number((Math.max(0, ms) / 1000).toFixed(1))} s`;
}

;// CONCATENATED MODULE: ./src/command.ts
/**
 * Commands that wait on something outside this machine (a registry, a git remote, a hung engine):
 * each runs in its own process group with a time limit, and the whole group is killed when it
 * expires, so helpers it started (the buildx plugin, git-remote-http) cannot keep the job waiting.
 */



/** Thrown when a bounded command did not finish in time; its process group has been killed. */
class CommandTimeout extends Error {
    command;
    timeoutMs;
    name = 'CommandTimeout';
    constructor(command, timeoutMs) {
        super(`${command} gave no answer within ${seconds(timeoutMs)}`);
        this.command = command;
        this.timeoutMs = timeoutMs;
    }
}
/** Runs `command ARGS` (an argument array, never a shell string) and captures its output, for at most `timeoutMs`. */
async function runBounded(command, args, options) {
    const child = (0,external_node_child_process_namespaceObject.spawn)(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child.pid);
    }, Math.max(0, options.timeoutMs));
    try {
        const closed = (0,external_node_events_namespaceObject.once)(child, 'close');
        const [code] = await Promise.race([closed, (0,external_node_events_namespaceObject.once)(child, 'error').then(([error]) => Promise.reject(error))]);
        if (timedOut)
            throw new CommandTimeout([command, ...args.slice(0, 2)].join(' '), options.timeoutMs);
        return { exitCode: code ?? -1, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
    }
    finally {
        clearTimeout(timer);
    }
}
/** Kills the child's whole process group; it may already be gone. */
function killGroup(pid) {
    if (pid === undefined)
        return;
    try {
        process.kill(-pid, 'SIGKILL');
    }
    catch {
        // Already exited: nothing left to kill.
    }
}

;// CONCATENATED MODULE: ./src/git.ts







const run = (0,external_node_util_namespaceObject.promisify)(external_node_child_process_namespaceObject.execFile);
/** A git command that failed, with git's own first line of complaint. */
class GitError extends Error {
    name = 'GitError';
}
/** Runs `git ARGS` in `cwd` with an argument array; throws GitError with git's message. */
async function git(args, cwd) {
    try {
        const { stdout } = await run('git', args, { cwd, maxBuffer: 16 << 20 });
        return stdout.trim();
    }
    catch (error) {
        const stderr = error.stderr ?? '';
        throw new GitError(`git ${args[0] ?? ''} failed: ${firstLine(stderr) || String(error).trim()}`);
    }
}
/** The top of the work tree containing `dir`, or undefined outside a repository. */
async function repositoryRoot(dir) {
    return git(['rev-parse', '--show-toplevel'], dir).catch(() => undefined);
}
/** How long fetching the one base commit may take; a remote that never answers must not hold the job. */
const FETCH_TIMEOUT_MS = 300_000;
/** Makes sure `sha` is present: actions/checkout's shallow clone usually lacks the base commit. */
async function ensureCommit(root, sha, timeoutMs = FETCH_TIMEOUT_MS) {
    const present = await git(['cat-file', '-e', '--end-of-options', `${sha}^{commit}`], root).then(() => true, () => false);
    if (!present)
        await fetchCommit(root, sha, timeoutMs);
}
/** `git fetch` of one commit, bounded; git may not prompt for credentials, as there is nobody to answer. */
async function fetchCommit(root, sha, timeoutMs) {
    const env = { ...process.env, GIT_TERMINAL_PROMPT: '0' };
    const result = await runBounded('git', ['fetch', '--no-tags', '--depth=1', '--end-of-options', 'origin', sha], { cwd: root, env, timeoutMs }).catch((error) => {
        if (!(error instanceof CommandTimeout))
            throw new GitError(`git fetch failed: ${String(error)}`);
        throw new GitError(`git fetch gave no answer within ${seconds(timeoutMs)}; fetch the base commit beforehand (actions/checkout with fetch-depth: 0)`);
    });
    if (result.exitCode !== 0)
        throw new GitError(`git fetch failed: ${firstLine(result.stderr) || `exit code ${result.exitCode}`}`);
}
function firstLine(text) {
    return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}
/** Checks `sha` out into a temporary worktree for `body`, and always removes it afterwards. */
async function withWorktree(root, sha, body) {
    const parent = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_namespaceObject.join)(process.env['RUNNER_TEMP'] || (0,external_node_os_namespaceObject.tmpdir)(), 'image-size-gate-base-'));
    const dir = (0,external_node_path_namespaceObject.join)(parent, 'worktree');
    await git(['worktree', 'add', '--detach', '--end-of-options', dir, sha], root);
    try {
        return await body(dir);
    }
    finally {
        await git(['worktree', 'remove', '--force', dir], root).catch(() => undefined);
        await (0,promises_namespaceObject.rm)(parent, { recursive: true, force: true });
        await git(['worktree', 'prune'], root).catch(() => undefined);
    }
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: ./src/json-file.ts




/** The largest JSON file read back (a saved report, an event payload): far above any real one. */
const MAX_JSON_FILE_BYTES = 64 * 1024 ** 2;
/**
 * Reads and parses the JSON file `path`, which the setting `name` points at. A directory, FIFO or device,
 * a file over `maxBytes`, or text that is not JSON is a UserError naming `name`; only ENOENT is "not found".
 */
async function readJsonFile(path, name, maxBytes = MAX_JSON_FILE_BYTES) {
    const info = await (0,promises_namespaceObject.stat)(path).catch((error) => {
        if (error.code === 'ENOENT')
            return undefined;
        throw new UserError(`${name}: '${path}' cannot be read (${reasonOf(error)})`);
    });
    if (!info)
        return { found: false };
    if (!info.isFile())
        throw new UserError(`${name}: '${path}' is ${kindOf(info)}, not a regular file`);
    if (info.size > maxBytes)
        throw tooLarge(path, name, info.size, maxBytes);
    const text = await readAtMost(path, name, maxBytes);
    try {
        return { found: true, value: JSON.parse(text) };
    }
    catch {
        throw new UserError(`${name}: '${path}' is not valid JSON`);
    }
}
function tooLarge(path, name, size, maxBytes) {
    return new UserError(`${name}: '${path}' is ${size_formatBytes(size)}, over the ${maxBytes / 1024 ** 2} MiB limit for a JSON file`);
}
/** Reads in chunks, failing past `maxBytes`: the file may have grown since it was checked. */
async function readAtMost(path, name, maxBytes) {
    // O_NONBLOCK: should the path have become a FIFO since the check, opening it must not wait for a writer.
    const handle = await (0,promises_namespaceObject.open)(path, external_node_fs_namespaceObject.constants.O_RDONLY | external_node_fs_namespaceObject.constants.O_NONBLOCK).catch((error) => {
        throw new UserError(`${name}: '${path}' cannot be read (${reasonOf(error)})`);
    });
    try {
        const info = await handle.stat();
        if (!info.isFile())
            throw new UserError(`${name}: '${path}' is ${kindOf(info)}, not a regular file`);
        const chunks = [];
        let total = 0;
        for (;;) {
            const chunk = Buffer.alloc(Math.min(1 << 20, maxBytes + 1 - total));
            const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
            if (bytesRead === 0)
                return Buffer.concat(chunks, total).toString('utf8');
            chunks.push(chunk.subarray(0, bytesRead));
            total += bytesRead;
            if (total > maxBytes)
                throw tooLarge(path, name, Math.max(info.size, total), maxBytes);
        }
    }
    finally {
        await handle.close();
    }
}
/** An fs error's reason without the path the message already names, e.g. `ENOTDIR: not a directory`. */
function reasonOf(error) {
    // Read by shape: errors from another realm (as under jest) are not `instanceof Error`.
    const message = typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' ? error.message : String(error);
    return message.replace(/, \w+ '[^']*'(?: -> '[^']*')?$/, '');
}
/** What a path that is not a regular file is, for a message: `a directory`, `a FIFO`, `a symbolic link`. */
function kindOf(info) {
    if (info.isSymbolicLink())
        return 'a symbolic link';
    if (info.isDirectory())
        return 'a directory';
    if (info.isFIFO())
        return 'a FIFO';
    if (info.isSocket())
        return 'a socket';
    if (info.isCharacterDevice() || info.isBlockDevice())
        return 'a device';
    return 'not a file';
}

;// CONCATENATED MODULE: ./src/descriptor.ts
/** `os/architecture[/variant]`, the form build-push-action's platform inputs use. */
function platformName(platform) {
    return [platform?.os ?? 'unknown', platform?.architecture ?? 'unknown', platform?.variant].filter(Boolean).join('/');
}
/** BuildKit's provenance/SBOM manifests sit in indexes beside images, marked by annotation or platform unknown/unknown. */
function isAttestation(entry) {
    return entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' || entry.platform?.os === 'unknown';
}
/** A layer's compression from its media type (`…tar+gzip`, `…tar+zstd`, `…tar`, Docker's `…tar.gzip`); undefined when unknown. */
function compressionOf(mediaType) {
    if (!mediaType)
        return undefined;
    if (/[+.]gzip$/.test(mediaType))
        return 'gzip';
    if (/[+.]zstd$/.test(mediaType))
        return 'zstd';
    return /\.tar$/.test(mediaType) ? 'none' : undefined;
}
/** Platform names as containerd normalises them: arm64's v8 and amd64's v1 are the defaults, arm's is v7. */
function normalPlatform(name) {
    const [os = '', architecture = '', variant] = name.toLowerCase().split('/');
    const defaults = { arm64: 'v8', amd64: 'v1' };
    if (architecture === 'arm')
        return `${os}/arm/${variant ?? 'v7'}`;
    return variant && defaults[architecture] !== variant ? `${os}/${architecture}/${variant}` : `${os}/${architecture}`;
}

;// CONCATENATED MODULE: ./src/path-tree.ts
/**
 * Every path of an image stored once: a tree of nodes numbered from 0 (the root), each a parent and an
 * interned name, kept in typed arrays so that a layer of 300,000 files costs bytes, not objects.
 */
/** The same array when it holds `length` items, else a copy half as long again, new items set to `fill`. */
function grown(array, length, fill = 0) {
    if (length <= array.length)
        return array;
    // 1.5×, not 2×: a table just past a doubling would otherwise be half empty.
    const next = new array.constructor(Math.max(length, Math.ceil(array.length * 1.5), 16));
    next.set(array);
    if (fill !== 0)
        next.fill(fill, array.length);
    return next;
}
const ROOT = 0;
const NONE = -1;
class PathTree {
    names = [];
    nameIds = new Map();
    parents = new Int32Array(1024).fill(NONE);
    nameOf = new Int32Array(1024).fill(NONE);
    firstChildren = new Int32Array(1024).fill(NONE);
    lastChildren = new Int32Array(1024).fill(NONE);
    nextSiblings = new Int32Array(1024).fill(NONE);
    /** Open-addressing table of (parent, name) → node + 1; 0 is an empty slot. */
    slots = new Int32Array(2048);
    /** Nodes in the tree, the root included. */
    size = 1;
    /** The child of `node` called `name`, or -1. */
    child(node, name) {
        const id = this.nameIds.get(name);
        if (id === undefined)
            return NONE;
        return (this.slots[this.slotOf(node, id)] ?? 0) - 1;
    }
    /** The child of `node` called `name`, created (last among its siblings) when missing. */
    childOrCreate(node, name) {
        const id = this.intern(name);
        const slot = this.slotOf(node, id);
        const found = (this.slots[slot] ?? 0) - 1;
        return found === NONE ? this.create(node, id, slot) : found;
    }
    name(node) {
        return this.names[this.nameOf[node] ?? NONE] ?? '';
    }
    firstChild(node) {
        return this.firstChildren[node] ?? NONE;
    }
    nextSibling(node) {
        return this.nextSiblings[node] ?? NONE;
    }
    intern(name) {
        let id = this.nameIds.get(name);
        if (id === undefined) {
            id = this.names.length;
            this.names.push(name);
            this.nameIds.set(name, id);
        }
        return id;
    }
    create(parent, name, slot) {
        const node = this.size++;
        this.parents = grown(this.parents, this.size, NONE);
        this.nameOf = grown(this.nameOf, this.size, NONE);
        this.firstChildren = grown(this.firstChildren, this.size, NONE);
        this.lastChildren = grown(this.lastChildren, this.size, NONE);
        this.nextSiblings = grown(this.nextSiblings, this.size, NONE);
        this.parents[node] = parent;
        this.nameOf[node] = name;
        const last = this.lastChildren[parent] ?? NONE;
        if (last === NONE)
            this.firstChildren[parent] = node;
        else
            this.nextSiblings[last] = node;
        this.lastChildren[parent] = node;
        this.slots[slot] = node + 1;
        // Half-full at most, so probes stay short.
        if (this.size * 2 > this.slots.length)
            this.rehash();
        return node;
    }
    slotOf(parent, name) {
        const mask = this.slots.length - 1;
        let slot = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(name + 1, 0x85ebca77)) & mask;
        for (;;) {
            const node = (this.slots[slot] ?? 0) - 1;
            if (node === NONE || (this.parents[node] === parent && this.nameOf[node] === name))
                return slot;
            slot = (slot + 1) & mask;
        }
    }
    rehash() {
        this.slots = new Int32Array(this.slots.length * 2);
        for (let node = 1; node < this.size; node++) {
            this.slots[this.slotOf(this.parents[node] ?? NONE, this.nameOf[node] ?? NONE)] = node + 1;
        }
    }
}

;// CONCATENATED MODULE: ./src/layer-entries.ts

/** Paths are packed into blocks of this size, so storing more never copies what is stored. */
const PATH_BLOCK = 1 << 20;
const TYPES = ['file', 'hardlink', 'symlink', 'directory', 'char', 'block', 'fifo', 'other'];
const TYPE_CODES = new Map(TYPES.map((type, code) => [type, code]));
/** Permission bits only: the rules read the executable bits, and 12 bits fit a Uint16Array. */
const PERMISSION_BITS = 0o7777;
/**
 * The entries of one layer tar in tar order, as columns: paths once as UTF-8 bytes, numbers in typed
 * arrays, link targets and ELF facts only for the entries that have them.
 */
class LayerEntries {
    pathBlocks = [];
    pathFree = 0;
    /** Where each path starts, as block × PATH_BLOCK + offset (paths of a layer fit in 4 GiB), and its length. */
    pathStarts = new Uint32Array(256);
    pathLengths = new Uint32Array(256);
    types = new Uint8Array(256);
    modes = new Uint16Array(256);
    sizes = new Float64Array(256);
    linknames = new Map();
    elfs = new Map();
    length = 0;
    static from(entries) {
        const table = new LayerEntries();
        for (const entry of entries) {
            const index = table.add(entry);
            if (entry.elf)
                table.setElf(index, entry.elf);
        }
        return table;
    }
    /** Appends an entry and returns its index. */
    add(entry) {
        const index = this.length++;
        this.pathStarts = grown(this.pathStarts, this.length);
        this.pathLengths = grown(this.pathLengths, this.length);
        this.storePath(index, entry.path);
        this.types = grown(this.types, this.length);
        this.modes = grown(this.modes, this.length);
        this.sizes = grown(this.sizes, this.length);
        this.types[index] = TYPE_CODES.get(entry.type) ?? TYPES.length - 1;
        this.modes[index] = entry.mode & PERMISSION_BITS;
        this.sizes[index] = entry.size;
        if (entry.linkname && (entry.type === 'symlink' || entry.type === 'hardlink'))
            this.linknames.set(index, entry.linkname);
        return index;
    }
    setElf(index, elf) {
        this.elfs.set(index, elf);
    }
    path(index) {
        const start = this.pathStarts[index] ?? 0;
        const offset = start % PATH_BLOCK;
        const block = this.pathBlocks[(start - offset) / PATH_BLOCK];
        return block ? block.toString('utf8', offset, offset + (this.pathLengths[index] ?? 0)) : '';
    }
    type(index) {
        return TYPES[this.types[index] ?? TYPES.length - 1] ?? 'other';
    }
    size(index) {
        return this.sizes[index] ?? 0;
    }
    mode(index) {
        return this.modes[index] ?? 0;
    }
    linkname(index) {
        return this.linknames.get(index);
    }
    elf(index) {
        return this.elfs.get(index);
    }
    /** The entry at `index` as an object, made on demand. */
    entry(index, path = this.path(index)) {
        const entry = { path, type: this.type(index), size: this.size(index), mode: this.mode(index) };
        const linkname = this.linkname(index);
        if (linkname !== undefined)
            entry.linkname = linkname;
        const elf = this.elf(index);
        if (elf)
            entry.elf = elf;
        return entry;
    }
    *[Symbol.iterator]() {
        for (let index = 0; index < this.length; index++)
            yield this.entry(index);
    }
    storePath(index, path) {
        const bytes = Buffer.byteLength(path);
        let block = this.pathBlocks[this.pathBlocks.length - 1];
        if (!block || this.pathFree + bytes > block.length) {
            // A path longer than a block gets a block of its own.
            block = Buffer.allocUnsafe(Math.max(PATH_BLOCK, bytes));
            this.pathBlocks.push(block);
            this.pathFree = 0;
        }
        block.write(path, this.pathFree);
        this.pathStarts[index] = (this.pathBlocks.length - 1) * PATH_BLOCK + this.pathFree;
        this.pathLengths[index] = bytes;
        this.pathFree += bytes;
    }
}

;// CONCATENATED MODULE: ./src/tar.ts
/**
 * A push-based streaming tar reader. Entry bodies are handed to sinks as views of the
 * incoming chunks, so a layer of any size passes through without being buffered.
 */
/** Thrown when the bytes are not a well-formed tar stream. */
class TarFormatError extends Error {
    name = 'TarFormatError';
}
const BLOCK = 512;
/** Extended headers (pax, GNU long names) are small; anything larger is a corrupt stream. */
const MAX_EXTENDED_HEADER = 1 << 20;
const tar_TYPES = {
    '0': 'file',
    '\0': 'file',
    '7': 'file',
    '1': 'hardlink',
    '2': 'symlink',
    '3': 'char',
    '4': 'block',
    '5': 'directory',
    '6': 'fifo'
};
class TarParser {
    onEntry;
    state = { kind: 'header' };
    pending = [];
    pendingBytes = 0;
    overrides = {};
    globalOverrides = {};
    /** Bytes of tar stream consumed so far, headers and padding included. */
    bytesRead = 0;
    constructor(onEntry) {
        this.onEntry = onEntry;
    }
    async push(chunk) {
        this.bytesRead += chunk.length;
        let offset = 0;
        while (offset < chunk.length || this.hasEmptyBody()) {
            const state = this.state;
            if (state.kind === 'done')
                return;
            if (state.kind === 'header')
                offset = this.takeHeader(chunk, offset);
            else if (state.kind === 'padding')
                offset = this.skipPadding(state, chunk, offset);
            else if (state.kind === 'extended')
                offset = this.takeExtended(state, chunk, offset);
            else
                offset = await this.takeBody(state, chunk, offset);
        }
    }
    hasEmptyBody() {
        return this.state.kind === 'body' && this.state.remaining === 0;
    }
    /** Ends the stream; a stream cut inside an entry is an error, a missing end marker is not. */
    async end() {
        const state = this.state;
        if (state.kind === 'body' && state.remaining === 0)
            await this.closeBody(state);
        else if (state.kind === 'body' || state.kind === 'extended' || this.pendingBytes > 0) {
            throw new TarFormatError('tar stream ended in the middle of an entry');
        }
        this.state = { kind: 'done' };
    }
    takeHeader(chunk, offset) {
        const need = BLOCK - this.pendingBytes;
        const available = Math.min(need, chunk.length - offset);
        if (this.pendingBytes === 0 && available === BLOCK) {
            this.readHeader(chunk.subarray(offset, offset + BLOCK));
            return offset + BLOCK;
        }
        this.pending.push(chunk.slice(offset, offset + available));
        this.pendingBytes += available;
        if (this.pendingBytes === BLOCK) {
            const block = Buffer.concat(this.pending);
            this.pending = [];
            this.pendingBytes = 0;
            this.readHeader(block);
        }
        return offset + available;
    }
    readHeader(block) {
        if (block.every((byte) => byte === 0)) {
            this.state = { kind: 'done' };
            return;
        }
        verifyChecksum(block);
        const flag = String.fromCharCode(block[156] ?? 0);
        const size = readNumber(block, 124, 12);
        const padding = (BLOCK - (size % BLOCK)) % BLOCK;
        if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
            if (size > MAX_EXTENDED_HEADER)
                throw new TarFormatError(`tar extended header of ${size} bytes is too large`);
            this.state = { kind: 'extended', flag, remaining: size, padding, parts: [] };
            if (size === 0)
                this.finishExtended(this.state);
            return;
        }
        this.startEntry(block, flag, size);
    }
    startEntry(block, flag, headerSize) {
        const overrides = { ...this.globalOverrides, ...this.overrides };
        this.overrides = {};
        const type = tar_TYPES[flag] ?? 'other';
        const size = overrides.size ?? headerSize;
        // Only regular files carry a body in practice, but the size field is authoritative.
        const header = {
            path: normalisePath(overrides.path ?? headerPath(block)),
            type,
            size: type === 'hardlink' || type === 'symlink' || type === 'directory' ? 0 : size,
            mode: readNumber(block, 100, 8),
            linkname: overrides.linkname ?? readString(block, 157, 100)
        };
        const sink = this.onEntry(header);
        const padding = (BLOCK - (size % BLOCK)) % BLOCK;
        // An empty body is closed by the next push or by end(), where awaiting is possible.
        this.state = { kind: 'body', remaining: size, padding, sink };
    }
    async takeBody(state, chunk, offset) {
        const take = Math.min(state.remaining, chunk.length - offset);
        if (take > 0 && state.sink) {
            const result = state.sink.write(chunk.subarray(offset, offset + take));
            if (result)
                await result;
        }
        state.remaining -= take;
        if (state.remaining === 0)
            await this.closeBody(state);
        return offset + take;
    }
    async closeBody(state) {
        this.state = state.padding > 0 ? { kind: 'padding', remaining: state.padding } : { kind: 'header' };
        if (state.sink) {
            const result = state.sink.end();
            if (result)
                await result;
        }
    }
    skipPadding(state, chunk, offset) {
        const take = Math.min(state.remaining, chunk.length - offset);
        state.remaining -= take;
        if (state.remaining === 0)
            this.state = { kind: 'header' };
        return offset + take;
    }
    takeExtended(state, chunk, offset) {
        const take = Math.min(state.remaining, chunk.length - offset);
        state.parts.push(chunk.slice(offset, offset + take));
        state.remaining -= take;
        if (state.remaining === 0)
            this.finishExtended(state);
        return offset + take;
    }
    finishExtended(state) {
        const data = Buffer.concat(state.parts);
        if (state.flag === 'L')
            this.overrides.path = cString(data);
        else if (state.flag === 'K')
            this.overrides.linkname = cString(data);
        else
            Object.assign(state.flag === 'g' ? this.globalOverrides : this.overrides, parsePax(data));
        this.state = state.padding > 0 ? { kind: 'padding', remaining: state.padding } : { kind: 'header' };
    }
}
function verifyChecksum(block) {
    const stored = readNumber(block, 148, 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++)
        sum += i >= 148 && i < 156 ? 32 : (block[i] ?? 0);
    if (sum !== stored)
        throw new TarFormatError('tar header checksum mismatch: the stream is not a tar archive or is corrupt');
}
function headerPath(block) {
    const name = readString(block, 0, 100);
    const isUstar = readString(block, 257, 5) === 'ustar';
    const prefix = isUstar ? readString(block, 345, 155) : '';
    return prefix ? `${prefix}/${name}` : name;
}
/** Paths as a container sees them, relative to the root, without `./` or a trailing slash. */
function normalisePath(path) {
    let result = path;
    while (result.startsWith('./'))
        result = result.slice(2);
    result = result.replace(/^\/+/, '').replace(/\/+$/, '');
    return result === '.' ? '' : result;
}
function readString(block, start, length) {
    return cString(block.subarray(start, start + length));
}
function cString(bytes) {
    const end = bytes.indexOf(0);
    return Buffer.from(bytes.buffer, bytes.byteOffset, end === -1 ? bytes.length : end).toString('utf8');
}
/** Octal numbers, or GNU base-256 when the top bit of the first byte is set. */
function readNumber(block, start, length) {
    const first = block[start] ?? 0;
    if (first & 0x80) {
        let value = first & 0x7f;
        for (let i = 1; i < length; i++)
            value = value * 256 + (block[start + i] ?? 0);
        return value;
    }
    const text = readString(block, start, length).trim();
    if (text === '')
        return 0;
    const value = parseInt(text, 8);
    if (Number.isNaN(value))
        throw new TarFormatError(`tar header has a malformed number field '${text}'`);
    return value;
}
/** Pax records are `LEN key=value\n`; only the keys that change how we read entries matter. */
function parsePax(data) {
    const overrides = {};
    let offset = 0;
    while (offset < data.length) {
        const space = data.indexOf(0x20, offset);
        const length = space === -1 ? NaN : parseInt(data.toString('latin1', offset, space), 10);
        if (!Number.isFinite(length) || length <= 0)
            break;
        const record = data.toString('utf8', space + 1, offset + length - 1);
        const equals = record.indexOf('=');
        const key = record.slice(0, equals);
        const value = record.slice(equals + 1);
        if (key === 'path')
            overrides.path = value;
        else if (key === 'linkpath')
            overrides.linkname = value;
        else if (key === 'size' && /^[0-9]+$/.test(value))
            overrides.size = Number(value);
        offset += length;
    }
    return overrides;
}

;// CONCATENATED MODULE: ./src/filesystem.ts



const filesystem_NONE = -1;
const PRESENT = 1;
const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
/**
 * The union of an image's layers as a container sees it: later layers replace earlier paths,
 * whiteout (`.wh.name`) and opaque (`.wh..wh..opq`) markers hide lower content, and a hard link
 * names its target's content, which lives while any name of it does. Per path it keeps numbers only.
 */
class MergedFilesystem {
    layers;
    tree = new PathTree();
    present = new Uint8Array(1024);
    /** The entry that gave each path its name, as a layer and an index into it. */
    entryLayer = new Int16Array(1024).fill(filesystem_NONE);
    entryIndex = new Int32Array(1024).fill(filesystem_NONE);
    /** The inode each path names: the number of the entry holding the content. */
    content = new Int32Array(1024).fill(filesystem_NONE);
    /** Visible names per inode. */
    linkCounts;
    /** Inode number of each layer's first entry. */
    bases = [];
    hiddenInodes = new Int32Array(64);
    hiddenBy = new Int16Array(64);
    hiddenCount = 0;
    constructor(layers) {
        this.layers = layers;
        let total = 0;
        for (const layer of layers) {
            this.bases.push(total);
            total += layer.length;
        }
        this.linkCounts = new Uint32Array(total);
        this.present[ROOT] = PRESENT;
    }
    static fromLayers(layers) {
        const fs = new MergedFilesystem(layers.map((layer) => (layer instanceof LayerEntries ? layer : LayerEntries.from(layer))));
        fs.layers.forEach((_, index) => fs.apply(index));
        return fs;
    }
    get(path) {
        const node = this.find(path);
        return node === filesystem_NONE || this.entryLayer[node] === filesystem_NONE ? undefined : this.fileAt(node, path);
    }
    /** Every visible file below `path` (or everywhere), depth first; a hard-linked inode once per name. */
    *walk(path = '') {
        const start = this.find(path);
        if (start === filesystem_NONE)
            return;
        const nodes = [start];
        const paths = [path];
        while (nodes.length > 0) {
            const node = nodes.pop();
            const nodePath = paths.pop();
            if (this.entryLayer[node] !== filesystem_NONE)
                yield this.fileAt(node, nodePath);
            const children = [];
            for (let child = this.tree.firstChild(node); child !== filesystem_NONE; child = this.tree.nextSibling(child)) {
                if (this.present[child] === PRESENT)
                    children.push(child);
            }
            for (const child of children.reverse()) {
                nodes.push(child);
                paths.push(filesystem_join(nodePath, this.tree.name(child)));
            }
        }
    }
    /** Content lower layers shipped that no visible name refers to, in the order it was hidden. */
    *hiddenFiles() {
        for (let i = 0; i < this.hiddenCount; i++) {
            const inode = this.hiddenInodes[i] ?? filesystem_NONE;
            const layer = this.layerOf(inode);
            const index = inode - (this.bases[layer] ?? 0);
            yield { ...this.fileOf(layer, index, this.table(layer).path(index), inode, 0), hiddenBy: this.hiddenBy[i] ?? filesystem_NONE };
        }
    }
    /** Bytes of the visible files below `path`, counted as the engine counts them: an inode once. */
    bytesUnder(path) {
        let total = 0;
        const seen = new Set();
        for (const file of this.walk(path)) {
            if (file.links > 1 && seen.has(file.inode))
                continue;
            if (file.links > 1)
                seen.add(file.inode);
            total += fileBytes(file);
        }
        return total;
    }
    /** Follows symlinks (absolute or relative) to the path they finally name, if it exists. */
    resolve(path, hops = 0) {
        const file = this.get(path);
        if (!file)
            return undefined;
        if (file.type !== 'symlink' || file.linkname === undefined)
            return path;
        if (hops > 16)
            return undefined;
        const target = file.linkname.startsWith('/') ? file.linkname : `${dirname(path)}/${file.linkname}`;
        return this.resolve(normaliseDots(target), hops + 1);
    }
    /** Applies one layer: its markers hide lower content first, then its entries are laid on top in tar order. */
    apply(layer) {
        const entries = this.table(layer);
        for (let index = 0; index < entries.length; index++) {
            const path = entries.path(index);
            const name = basename(path);
            if (name === OPAQUE_MARKER)
                this.clearChildren(dirname(path), layer);
            else if (name.startsWith(WHITEOUT_PREFIX))
                this.remove(filesystem_join(dirname(path), name.slice(WHITEOUT_PREFIX.length)), layer);
        }
        for (let index = 0; index < entries.length; index++) {
            const path = entries.path(index);
            if (path !== '' && !basename(path).startsWith(WHITEOUT_PREFIX))
                this.add(path, layer, index);
        }
    }
    add(path, layer, index) {
        const isDirectory = this.table(layer).type(index) === 'directory';
        // Resolved before anything is replaced, as the engine links to what exists when it meets the entry.
        const inode = isDirectory ? filesystem_NONE : this.inodeFor(layer, index);
        const node = this.createPath(path);
        if (this.present[node] === PRESENT) {
            // A directory over a directory merges: only its metadata changes.
            if (isDirectory && this.isDirectory(node))
                return this.setEntry(node, layer, index);
            this.hideSubtree(node, layer);
        }
        this.present[node] = PRESENT;
        this.setEntry(node, layer, index);
        this.content[node] = inode;
        if (inode !== filesystem_NONE)
            this.linkCounts[inode] = (this.linkCounts[inode] ?? 0) + 1;
    }
    /** A hard link names the inode its target names at this point of the merge; anything else is its own inode. */
    inodeFor(layer, index) {
        const entries = this.table(layer);
        const own = (this.bases[layer] ?? 0) + index;
        if (entries.type(index) !== 'hardlink')
            return own;
        const target = this.find(normalisePath(entries.linkname(index) ?? ''));
        const inode = target === filesystem_NONE ? filesystem_NONE : (this.content[target] ?? filesystem_NONE);
        // A link to nothing, or to a directory, stays an empty link entry.
        return inode === filesystem_NONE ? own : inode;
    }
    remove(path, layer) {
        const node = this.find(path);
        if (node !== filesystem_NONE)
            this.hideSubtree(node, layer);
    }
    clearChildren(path, layer) {
        const node = this.find(path);
        if (node === filesystem_NONE)
            return;
        for (let child = this.tree.firstChild(node); child !== filesystem_NONE; child = this.tree.nextSibling(child))
            this.hideSubtree(child, layer);
    }
    /** Drops every name at and below `node`; an inode left with no name is hidden, if a lower layer shipped it. */
    hideSubtree(node, layer) {
        const pending = [node];
        while (pending.length > 0) {
            const current = pending.pop();
            if (this.present[current] !== PRESENT)
                continue;
            this.unlink(current, layer);
            this.present[current] = 0;
            this.entryLayer[current] = filesystem_NONE;
            this.entryIndex[current] = filesystem_NONE;
            for (let child = this.tree.firstChild(current); child !== filesystem_NONE; child = this.tree.nextSibling(child))
                pending.push(child);
        }
    }
    unlink(node, layer) {
        const inode = this.content[node] ?? filesystem_NONE;
        this.content[node] = filesystem_NONE;
        if (inode === filesystem_NONE)
            return;
        const left = (this.linkCounts[inode] ?? 1) - 1;
        this.linkCounts[inode] = left;
        if (left > 0 || this.layerOf(inode) >= layer)
            return;
        this.hiddenInodes = grown(this.hiddenInodes, this.hiddenCount + 1);
        this.hiddenBy = grown(this.hiddenBy, this.hiddenCount + 1);
        this.hiddenInodes[this.hiddenCount] = inode;
        this.hiddenBy[this.hiddenCount++] = layer;
    }
    /** The node for `path`, created with its parents; parents become visible (as implied directories). */
    createPath(path) {
        const parts = path.split('/');
        let node = ROOT;
        for (let i = 0; i < parts.length; i++) {
            node = this.tree.childOrCreate(node, parts[i]);
            this.fitNodes();
            if (i < parts.length - 1)
                this.present[node] = PRESENT;
        }
        return node;
    }
    fitNodes() {
        const size = this.tree.size;
        if (size <= this.present.length)
            return;
        this.present = grown(this.present, size);
        this.entryLayer = grown(this.entryLayer, size, filesystem_NONE);
        this.entryIndex = grown(this.entryIndex, size, filesystem_NONE);
        this.content = grown(this.content, size, filesystem_NONE);
    }
    setEntry(node, layer, index) {
        this.entryLayer[node] = layer;
        this.entryIndex[node] = index;
    }
    isDirectory(node) {
        const layer = this.entryLayer[node] ?? filesystem_NONE;
        return layer === filesystem_NONE || this.table(layer).type(this.entryIndex[node] ?? filesystem_NONE) === 'directory';
    }
    /** The visible node at `path`, or -1. */
    find(path) {
        if (path === '')
            return ROOT;
        let node = ROOT;
        for (const part of path.split('/')) {
            node = this.tree.child(node, part);
            if (node === filesystem_NONE || this.present[node] !== PRESENT)
                return filesystem_NONE;
        }
        return node;
    }
    fileAt(node, path) {
        const inode = this.content[node] ?? filesystem_NONE;
        if (inode === filesystem_NONE)
            return this.fileOf(this.entryLayer[node] ?? filesystem_NONE, this.entryIndex[node] ?? filesystem_NONE, path, filesystem_NONE, 0);
        const layer = this.layerOf(inode);
        return this.fileOf(layer, inode - (this.bases[layer] ?? 0), path, inode, this.linkCounts[inode] ?? 0);
    }
    /** One object of one shape per file: walks make hundreds of thousands of them. */
    fileOf(layer, index, path, inode, links) {
        const entries = this.table(layer);
        const file = { path, type: entries.type(index), size: entries.size(index), mode: entries.mode(index), layer, inode, links };
        const linkname = entries.linkname(index);
        if (linkname !== undefined)
            file.linkname = linkname;
        const elf = entries.elf(index);
        if (elf)
            file.elf = elf;
        return file;
    }
    table(layer) {
        return this.layers[layer];
    }
    /** The layer holding an inode: the last whose first inode number is not above it. */
    layerOf(inode) {
        let layer = this.bases.length - 1;
        while (layer > 0 && (this.bases[layer] ?? 0) > inode)
            layer--;
        return layer;
    }
}
/** Engine-style bytes of one entry: a file's size, or a symlink's target length. */
function fileBytes(file) {
    if (file.type === 'file')
        return file.size;
    if (file.type === 'symlink')
        return Buffer.byteLength(file.linkname ?? '');
    return 0;
}
function dirname(path) {
    const slash = path.lastIndexOf('/');
    return slash === -1 ? '' : path.slice(0, slash);
}
function basename(path) {
    return path.slice(path.lastIndexOf('/') + 1);
}
function filesystem_join(dir, name) {
    return dir === '' ? name : `${dir}/${name}`;
}
/** Resolves `.` and `..` segments in a root-relative path, clamping at the root. */
function normaliseDots(path) {
    const out = [];
    for (const part of path.split('/')) {
        if (part === '' || part === '.')
            continue;
        if (part === '..')
            out.pop();
        else
            out.push(part);
    }
    return out.join('/');
}

;// CONCATENATED MODULE: ./src/dockerfile.ts

const DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/;
const COMMENT = /^\s*#/;
const BLANK = /^\s*$/;
const SPACE = /\s/;
const BACKSLASH_CONTINUATION = /\\[ \t]*$/;
const BACKTICK_CONTINUATION = /`[ \t]*$/;
const KEYWORD = /^\s*(\S+)\s*([\s\S]*)$/;
/** BuildKit's heredoc word: optional fd, `<<`, optional `-`, then a (possibly quoted) name. */
const HEREDOC_WORD = /^(\d*)<<(-?)([^<]+)$/;
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const VARIABLE_REFERENCE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/;
/**
 * Parses a Dockerfile the way BuildKit splits it into instructions and stages. It never rejects odd
 * syntax (buildx reports that); `buildArgs` override the defaults of global ARGs, as `--build-arg` does.
 */
function parseDockerfile(text, path, buildArgs = {}) {
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    const escape = escapeToken(lines);
    const globalArgs = {};
    const stages = [];
    for (const instruction of readInstructions(lines, escape)) {
        const current = stages[stages.length - 1];
        if (instruction.keyword === 'FROM')
            stages.push(toStage(instruction, stages.length, globalArgs, escape));
        else if (current)
            current.instructions.push(instruction);
        else if (instruction.keyword === 'ARG')
            declareGlobalArgs(instruction.args, globalArgs, buildArgs, escape);
    }
    return { path, stages, globalArgs };
}
/** The stage buildx builds: `target` by name (case-insensitive), else the last stage. */
function selectStage(dockerfile, target) {
    const last = dockerfile.stages[dockerfile.stages.length - 1];
    if (!last)
        throw new UserError(`${dockerfile.path} has no FROM instruction; a Dockerfile needs at least one stage`);
    const wanted = target?.trim().toLowerCase();
    if (!wanted)
        return last;
    const stage = dockerfile.stages.find((candidate) => candidate.name === wanted);
    if (stage)
        return stage;
    const names = dockerfile.stages.flatMap((candidate) => (candidate.name ? [candidate.name] : []));
    const known = names.length > 0 ? `its stages are ${names.join(', ')}` : 'it has no named stages (name one with FROM … AS name)';
    throw new UserError(`target: stage "${target?.trim()}" is not in ${dockerfile.path}; ${known}`);
}
/** The arguments of an exec-form (JSON array) instruction, or undefined for shell form. */
function execForm(instruction) {
    return parseJsonArray(instruction.args.trim());
}
/** A JSON array of strings, as exec form and some recorded history use; anything else is undefined. */
function parseJsonArray(text) {
    if (!text.startsWith('['))
        return undefined;
    try {
        const parsed = JSON.parse(text);
        const isStrings = Array.isArray(parsed) && parsed.every((item) => typeof item === 'string');
        return isStrings ? parsed : undefined;
    }
    catch {
        return undefined;
    }
}
/** The `# escape=` parser directive; directives only count before the first other line. */
function escapeToken(lines) {
    for (const line of lines) {
        const directive = DIRECTIVE.exec(line);
        if (!directive)
            break;
        const value = directive[2];
        if (directive[1]?.toLowerCase() === 'escape' && (value === '`' || value === '\\'))
            return value;
    }
    return '\\';
}
/** Splits the lines into instructions, skipping comments and blank lines. */
function readInstructions(lines, escape) {
    const instructions = [];
    let index = 0;
    while (index < lines.length) {
        const current = lines[index] ?? '';
        if (COMMENT.test(current) || BLANK.test(current)) {
            index++;
            continue;
        }
        const logical = readLogicalLine(lines, index, escape);
        const instruction = toInstruction(logical.text, index + 1, escape);
        const heredocs = readHeredocs(lines, logical.next, heredocNames(instruction, escape));
        const endLine = heredocs.next > logical.next ? heredocs.next : logical.endLine;
        if (heredocs.docs.length > 0)
            instruction.heredocs = heredocs.docs;
        instruction.endLine = endLine;
        instruction.raw = lines.slice(index, endLine).join('\n');
        instructions.push(instruction);
        index = heredocs.next;
    }
    return instructions;
}
/** Joins continuation lines; comment and blank lines inside a continuation are skipped, as BuildKit does. */
function readLogicalLine(lines, start, escape) {
    const continuation = escape === '`' ? BACKTICK_CONTINUATION : BACKSLASH_CONTINUATION;
    let text = '';
    let endLine = start + 1;
    let index = start;
    while (index < lines.length) {
        const current = lines[index] ?? '';
        index++;
        if (index - 1 > start && (COMMENT.test(current) || BLANK.test(current)))
            continue;
        endLine = index;
        if (!continuation.test(current))
            return { text: text + current, next: index, endLine };
        text += current.replace(continuation, '');
    }
    return { text, next: index, endLine };
}
/** Keyword, flags and arguments of one logical line; line numbers are completed by the caller. */
function toInstruction(text, line, escape) {
    const match = KEYWORD.exec(text);
    const keyword = (match?.[1] ?? '').toUpperCase();
    const { flags, rest } = extractFlags(match?.[2] ?? '', escape);
    return { keyword, args: rest.trim(), flags, line, endLine: line, raw: text };
}
/** Reads leading `--flag[=value]` words as BuildKit does for every instruction; `--` ends them. */
function extractFlags(text, escape) {
    const flags = {};
    let rest = text;
    for (const word of splitWords(text, escape)) {
        if (!word.raw.startsWith('--'))
            break;
        rest = text.slice(word.end);
        if (word.raw === '--')
            break;
        const equals = word.value.indexOf('=');
        const name = equals < 0 ? word.value.slice(2) : word.value.slice(2, equals);
        const value = equals < 0 ? 'true' : word.value.slice(equals + 1);
        flags[name] = name in flags ? `${flags[name]}\n${value}` : value;
    }
    return { flags, rest };
}
/** Shell-like word splitting that honours quotes and the escape token. */
function splitWords(text, escape) {
    const words = [];
    let index = 0;
    while (index < text.length) {
        while (index < text.length && SPACE.test(text[index] ?? ''))
            index++;
        if (index >= text.length)
            break;
        const start = index;
        let value = '';
        let quote = '';
        for (; index < text.length; index++) {
            const char = text[index] ?? '';
            const escaped = char === escape && index + 1 < text.length && quote !== "'";
            if (!quote && SPACE.test(char))
                break;
            if (escaped)
                value += text[++index] ?? '';
            else if (char === quote)
                quote = '';
            else if (!quote && (char === '"' || char === "'"))
                quote = char;
            else
                value += char;
        }
        words.push({ raw: text.slice(start, index), value, end: index });
    }
    return words;
}
/** The here-documents a RUN, COPY or ADD opens (exec form never does: its words start with a quote). */
function heredocNames(instruction, escape) {
    if (!HEREDOC_KEYWORDS.has(instruction.keyword) || !instruction.args.includes('<<'))
        return [];
    return splitWords(instruction.args, escape).flatMap((word) => {
        const match = HEREDOC_WORD.exec(word.raw);
        const name = splitWords(match?.[3] ?? '', escape)[0]?.value ?? '';
        return match && name ? [{ name, chomp: match[2] === '-' }] : [];
    });
}
/** Reads each heredoc body up to its terminator line; an unterminated one runs to the end of the file. */
function readHeredocs(lines, start, names) {
    const docs = [];
    let index = start;
    for (const { name, chomp } of names) {
        let body = '';
        while (index < lines.length) {
            const current = lines[index] ?? '';
            index++;
            const line = chomp ? current.replace(/^\t+/, '') : current;
            if (line === name)
                break;
            body += `${line}\n`;
        }
        docs.push({ name, body });
    }
    return { docs, next: index };
}
/** A stage from its FROM instruction: `[--platform=…] image [AS name]`. */
function toStage(from, index, globalArgs, escape) {
    const words = splitWords(from.args, escape);
    const image = words[0]?.raw ?? '';
    const name = words[1]?.value.toLowerCase() === 'as' ? words[2]?.value.toLowerCase() : undefined;
    const stage = { index, base: expandWord(image, globalArgs, escape), from, instructions: [] };
    if (name)
        stage.name = name;
    if (from.flags.platform !== undefined)
        stage.platform = expandWord(from.flags.platform, globalArgs, escape);
    return stage;
}
/** Records `ARG NAME[=default] …` before the first FROM; a build-arg wins over the default. */
function declareGlobalArgs(args, globalArgs, buildArgs, escape) {
    for (const word of splitWords(args, escape)) {
        const equals = word.raw.indexOf('=');
        const name = equals < 0 ? word.value : word.raw.slice(0, equals);
        if (!name)
            continue;
        const fallback = equals < 0 ? undefined : expandWord(word.raw.slice(equals + 1), globalArgs, escape);
        globalArgs[name] = Object.hasOwn(buildArgs, name) ? buildArgs[name] : fallback;
    }
}
/**
 * Substitutes `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`
 * and removes quotes. A reference to a variable with no known value is kept as written so a
 * message can show it.
 */
function expandWord(text, scope, escape) {
    let out = '';
    let quote = '';
    for (let index = 0; index < text.length; index++) {
        const char = text[index] ?? '';
        const reference = char === '$' && quote !== "'" ? VARIABLE_REFERENCE.exec(text.slice(index)) : null;
        if (char === escape && index + 1 < text.length && quote !== "'")
            out += text[++index] ?? '';
        else if (reference) {
            out += resolveReference(reference, scope, escape);
            index += reference[0].length - 1;
        }
        else if (char === quote)
            quote = '';
        else if (!quote && (char === '"' || char === "'"))
            quote = char;
        else
            out += char;
    }
    return out;
}
/** The value of one matched `VARIABLE_REFERENCE`, following POSIX parameter expansion. */
function resolveReference(reference, scope, escape) {
    const name = reference[1] ?? reference[4] ?? '';
    const value = Object.hasOwn(scope, name) ? scope[name] : undefined;
    const word = () => expandWord(reference[3] ?? '', scope, escape);
    switch (reference[2]) {
        case ':-':
            return value ? value : word();
        case '-':
            return value !== undefined ? value : word();
        case ':+':
            return value ? word() : '';
        case '+':
            return value !== undefined ? word() : '';
        default:
            return value !== undefined ? value : reference[0];
    }
}

;// CONCATENATED MODULE: ./src/history.ts

/** BuildKit's comment on entries it invents for layers that had no history; it only appends them. */
const EXPORTER_COMMENT = 'buildkit.exporter.image.v0';
const BUILDKIT_SUFFIX = / ?# buildkit$/;
/** The classic builder's prefix for instructions that ran no command, e.g. `/bin/sh -c #(nop)  CMD […]`. */
const LEGACY_NOP = /^(?:\S*sh -c|cmd \/S \/C) #\(nop\) ?/;
const KEYWORD_PREFIX = /^([A-Z]+)(?: |$)/;
/** Build args that RUN saw, prefixed by BuildKit and the classic builder alike: `|2 A=1 B=2 `. */
const BUILD_ARGS_PREFIX = /^\|(\d+) /;
/** `/bin/sh -c `, `/bin/bash -o pipefail -c `, `sh -ec `, `cmd /S /C ` (on whitespace-collapsed text). */
const SHELL_PREFIX = /^(?:(?:\/\S+\/)?(?:ba|da|a|z|k)?sh (?:-\S+ (?:[a-z]+ )??)*?-[a-z]*c |cmd \/S \/C |powershell(?:\.exe)? (?:-\S+ )*?-Command )/;
/** The classic builder records COPY/ADD sources as a content hash: `file:<sha256> in /dest`. */
const LEGACY_COPY = /^(\S+) in (.+)$/;
const LEGACY_HASH = /^((?:file|dir|multi):[0-9a-f]{12})[0-9a-f]*$/;
const HEREDOC_ONLY = /^\d*<<-?\S+$/;
const HEREDOC_SOURCE = /^\d*<<-?["']?([^"']+)["']?$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const QUOTED = /"((?:[^"\\]|\\.)*)"/g;
const DIGITS = /\d+/g;
const KNOWN_KEYWORDS = new Set([
    'RUN', 'COPY', 'ADD', 'WORKDIR', 'ENV', 'ARG', 'LABEL', 'USER', 'EXPOSE', 'ENTRYPOINT', 'CMD',
    'HEALTHCHECK', 'SHELL', 'STOPSIGNAL', 'VOLUME', 'ONBUILD', 'MAINTAINER'
]);
/**
 * For each of `layerCount` layers, the history entry that created it; entries with `empty_layer` made
 * none. Counts that disagree are aligned from the start, as the Docker daemon's `docker history` and
 * BuildKit's exporter both pair them, so any layers left over at the end get undefined.
 */
function historyForLayers(history, layerCount) {
    const count = Number.isFinite(layerCount) ? Math.max(0, Math.floor(layerCount)) : 0;
    const layers = new Array(count).fill(undefined);
    let next = 0;
    for (const entry of history) {
        if (entry.empty_layer === true)
            continue;
        if (next >= count)
            break;
        layers[next++] = entry;
    }
    return layers;
}
/**
 * The instruction a history entry records, normalised: whitespace collapsed, `# buildkit`, `#(nop)`,
 * build-arg and shell prefixes dropped, e.g. `RUN go build -o /app .` or `COPY /out/app /app`.
 * An entry without created_by (e.g. from `docker import`) is described by its comment.
 */
function describeHistory(entry) {
    const recorded = readHistory(entry);
    if (!recorded.keyword)
        return recorded.args || collapse(entry.comment ?? '');
    return recorded.args ? `${recorded.keyword} ${recorded.args}` : recorded.keyword;
}
/**
 * For each history entry (same indices as `history`), the instruction of `stage` it came from, if it can
 * be matched. The stage's entries are the last ones, one per instruction at most, so only that tail is
 * searched and base-image history is never matched.
 */
function matchInstructions(stage, history) {
    const matched = new Array(history.length).fill(undefined);
    const end = history.length - trailingExporterEntries(history);
    const start = Math.max(0, end - stage.instructions.length);
    const recorded = history.slice(start, end).map(readHistory);
    for (const [instruction, entry] of alignInstructions(stage.instructions, recorded)) {
        matched[start + entry] = stage.instructions[instruction];
    }
    return matched;
}
function trailingExporterEntries(history) {
    let count = 0;
    while (count < history.length && history[history.length - 1 - count]?.comment === EXPORTER_COMMENT)
        count++;
    return count;
}
/** Reads created_by in the BuildKit or classic-builder format back into keyword and arguments. */
function readHistory(entry) {
    const text = collapse(entry.created_by ?? '').replace(BUILDKIT_SUFFIX, '');
    const legacy = LEGACY_NOP.exec(text);
    const body = legacy ? text.slice(legacy[0].length) : text;
    const keyword = KEYWORD_PREFIX.exec(body)?.[1];
    if (keyword && KNOWN_KEYWORDS.has(keyword))
        return normaliseArgs(keyword, body.slice(keyword.length).trim());
    // The classic builder records a RUN as the bare command line.
    if (!legacy && (BUILD_ARGS_PREFIX.test(body) || SHELL_PREFIX.test(body)))
        return normaliseArgs('RUN', body);
    return { args: body };
}
function normaliseArgs(keyword, args) {
    if (keyword === 'RUN')
        return { keyword, args: recordedCommand(args) };
    if (keyword === 'COPY' || keyword === 'ADD')
        return { keyword, args: recordedCopy(args) };
    return { keyword, args };
}
/** The command of a recorded RUN without its `|N k=v` build args and shell invocation. */
function recordedCommand(args) {
    const command = withoutBuildArgs(args);
    const exec = parseJsonArray(command);
    return stripShell(exec ? collapse(exec.join(' ')) : command);
}
/** Drops `|N k=v …`; values may hold spaces, so the shell invocation, if any, marks the end. */
function withoutBuildArgs(text) {
    const prefix = BUILD_ARGS_PREFIX.exec(text);
    if (!prefix)
        return text;
    const words = text.slice(prefix[0].length).split(' ');
    const shellAt = words.findIndex((_, index) => SHELL_PREFIX.test(words.slice(index).join(' ')));
    return words.slice(shellAt >= 0 ? shellAt : Number(prefix[1])).join(' ');
}
function stripShell(command) {
    const shell = SHELL_PREFIX.exec(command);
    return shell ? command.slice(shell[0].length) : command;
}
/** COPY/ADD arguments without flags; classic-builder `file:<hash> in /dest` becomes `file:<short hash> /dest`. */
function recordedCopy(args) {
    const words = args.split(' ');
    while (words[0]?.startsWith('--'))
        words.shift();
    const text = words.join(' ');
    const legacy = LEGACY_COPY.exec(text);
    if (!legacy || !LEGACY_HASH.test(legacy[1] ?? ''))
        return text;
    return `${(legacy[1] ?? '').replace(LEGACY_HASH, '$1')} ${legacy[2] ?? ''}`;
}
/**
 * Pairs instructions with recorded entries: the longest in-order run of entries that agree with their
 * instruction, then same-keyword pairs in between whose counts line up exactly.
 */
function alignInstructions(instructions, recorded) {
    const agrees = instructions.map((instruction) => recorded.map((entry) => sameInstruction(instruction, entry)));
    const anchors = commonSubsequence(agrees, recorded.length);
    const filled = gapsBetween(anchors, instructions.length, recorded.length).flatMap(([from, to]) => pairGap(instructions, recorded, from, to));
    return [...anchors, ...filled];
}
/** Longest common subsequence of agreeing pairs, ascending; ties go to the latest entries. */
function commonSubsequence(agrees, columns) {
    const width = columns + 1;
    const table = new Array((agrees.length + 1) * width).fill(0);
    const at = (row, column) => table[row * width + column] ?? 0;
    const agree = (row, column) => agrees[row - 1]?.[column - 1] === true;
    for (let row = 1; row <= agrees.length; row++) {
        for (let column = 1; column <= columns; column++) {
            const best = agree(row, column) ? at(row - 1, column - 1) + 1 : Math.max(at(row - 1, column), at(row, column - 1));
            table[row * width + column] = best;
        }
    }
    const pairs = [];
    for (let row = agrees.length, column = columns; row > 0 && column > 0;) {
        if (agree(row, column) && at(row, column) === at(row - 1, column - 1) + 1)
            pairs.unshift([--row, --column]);
        // On a tie give up the instruction, not the entry, so later entries stay in play.
        else if (at(row - 1, column) >= at(row, column - 1))
            row--;
        else
            column--;
    }
    return pairs;
}
/** The unpaired stretches between anchors, as exclusive [from, to] corners. */
function gapsBetween(anchors, rows, columns) {
    const corners = [[-1, -1], ...anchors, [rows, columns]];
    return corners.slice(1).map((to, index) => [corners[index] ?? [-1, -1], to]);
}
/** Pairs a gap one-to-one when it holds as many entries as instructions and every keyword agrees. */
function pairGap(instructions, recorded, from, to) {
    const count = to[0] - from[0] - 1;
    if (count <= 0 || to[1] - from[1] - 1 !== count)
        return [];
    const pairs = Array.from({ length: count }, (_, offset) => [from[0] + 1 + offset, from[1] + 1 + offset]);
    const sameKeywords = pairs.every(([row, column]) => instructions[row]?.keyword === recorded[column]?.keyword);
    return sameKeywords ? pairs : [];
}
/** Keyword agrees and, where the recorded form allows, the arguments too. */
function sameInstruction(instruction, entry) {
    // An unrecognised created_by may still be a classic-builder exec-form RUN.
    const keyword = entry.keyword ?? (instruction.keyword === 'RUN' ? 'RUN' : undefined);
    if (keyword !== instruction.keyword)
        return false;
    const check = ARGUMENT_CHECKS.get(keyword);
    return check ? check(instruction, entry.args) : true;
}
/** The command BuildKit records for a RUN: exec-form words joined, or the shell text with heredocs inlined. */
function commandOf(instruction) {
    const exec = execForm(instruction);
    if (exec)
        return stripShell(collapse(exec.join(' ')));
    const docs = instruction.heredocs ?? [];
    const [only] = docs;
    if (only && docs.length === 1 && HEREDOC_ONLY.test(instruction.args))
        return collapse(only.body);
    return collapse(instruction.args + docs.map((doc) => `\n${doc.body}${doc.name}`).join(''));
}
const sameCommand = (instruction, recordedArgs) => {
    const expected = commandOf(instruction);
    if (expected && (recordedArgs === expected || recordedArgs.endsWith(` ${expected}`)))
        return true;
    // A heredoc starting with a shebang runs as a file mounted at /dev/pipes/<name>.
    return (instruction.heredocs ?? []).some((doc) => recordedArgs.endsWith(`/dev/pipes/${doc.name}`));
};
/** COPY/ADD: same destination and source basenames; BuildKit drops or keeps flags and rewrites little else. */
const sameCopy = (instruction, recordedArgs) => {
    const expected = execForm(instruction) ?? words(instruction.args);
    const recorded = words(recordedArgs);
    const expectedSources = expected.slice(0, -1);
    const recordedSources = recorded.slice(0, -1);
    const legacy = recordedSources.some((source) => LEGACY_HASH.test(source));
    const sourcesAgree = expectedSources.every((source) => legacy || source.includes('$') || recordedSources.some((candidate) => history_basename(candidate) === history_basename(source)));
    return sourcesAgree && samePath(expected[expected.length - 1] ?? '', recorded[recorded.length - 1] ?? '');
};
/** A path as written against the one recorded, which may be resolved against WORKDIR or expanded. */
function samePath(expected, recorded) {
    if (expected.includes('$'))
        return true;
    const want = trimSlashes(expected);
    const got = trimSlashes(recorded);
    if (want === got)
        return true;
    if (want.startsWith('/'))
        return false;
    return want === '.' ? got.startsWith('/') : got.endsWith(`/${want.replace(/^\.\//, '')}`);
}
const sameWorkdir = (instruction, recordedArgs) => samePath(instruction.args.trim(), recordedArgs);
/** ENV, ARG, LABEL: every name the instruction sets is recorded (values are expanded and unquoted there). */
const sameNames = (instruction, recordedArgs) => {
    const recorded = new Set(namesIn(recordedArgs, instruction.keyword));
    return namesIn(instruction.args, instruction.keyword).every((name) => name.includes('$') || recorded.has(name));
};
function namesIn(args, keyword) {
    const all = words(args);
    const [first] = all;
    // `ENV KEY value with spaces` is the older one-variable form.
    if (keyword !== 'ARG' && first !== undefined && !first.includes('='))
        return [unquote(first)];
    const assignments = keyword === 'ARG' ? all : all.filter((word) => word.includes('='));
    const names = assignments.map((word) => unquote(word.split('=')[0] ?? ''));
    return keyword === 'ARG' ? names.filter((name) => IDENTIFIER.test(name) || name.includes('$')) : names;
}
const sameText = (instruction, recordedArgs) => instruction.args.includes('$') || collapse(instruction.args) === recordedArgs;
/** EXPOSE is recorded as `map[8080/tcp:{}]` or `[8080/tcp]` (BuildKit) or as written (classic builder). */
const samePorts = (instruction, recordedArgs) => {
    const recorded = new Set(recordedArgs.match(DIGITS) ?? []);
    return words(instruction.args).every((port) => port.includes('$') || recorded.has(port.match(DIGITS)?.[0] ?? ''));
};
/** CMD/ENTRYPOINT are recorded with Go's %q: `["/app" "--flag"]`; a shell form ends in its command. */
const sameArgv = (instruction, recordedArgs) => {
    const recorded = [...recordedArgs.matchAll(QUOTED)].map((match) => unescapeQuoted(match[1] ?? ''));
    const expected = execForm(instruction) ?? [instruction.args];
    const tail = recorded.slice(recorded.length - expected.length);
    return tail.length === expected.length && expected.every((word, index) => collapse(word) === collapse(tail[index] ?? ''));
};
/** VOLUME is recorded as `[/data /cache]`. */
const sameVolumes = (instruction, recordedArgs) => {
    const recorded = words(recordedArgs.replace(/^\[|\]$/g, ''));
    const expected = execForm(instruction) ?? words(instruction.args);
    return expected.every((volume) => volume.includes('$') || recorded.includes(volume));
};
/** Keywords absent here (HEALTHCHECK, SHELL, ONBUILD, MAINTAINER) are recorded in forms only the keyword survives. */
const ARGUMENT_CHECKS = new Map([
    ['RUN', sameCommand],
    ['COPY', sameCopy],
    ['ADD', sameCopy],
    ['WORKDIR', sameWorkdir],
    ['ENV', sameNames],
    ['ARG', sameNames],
    ['LABEL', sameNames],
    ['USER', sameText],
    ['STOPSIGNAL', sameText],
    ['EXPOSE', samePorts],
    ['CMD', sameArgv],
    ['ENTRYPOINT', sameArgv],
    ['VOLUME', sameVolumes]
]);
function collapse(text) {
    return text.replace(/\s+/g, ' ').trim();
}
function words(text) {
    const collapsed = collapse(text);
    return collapsed ? collapsed.split(' ') : [];
}
function trimSlashes(path) {
    return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}
function history_basename(path) {
    const heredoc = HEREDOC_SOURCE.exec(path);
    if (heredoc)
        return `<<${heredoc[1] ?? ''}`;
    const trimmed = trimSlashes(path);
    return trimmed.slice(trimmed.lastIndexOf('/') + 1) || trimmed;
}
function unquote(text) {
    return text.replace(/["']/g, '');
}
/** Go's %q escapes are JSON's for everything an image config holds in practice. */
function unescapeQuoted(text) {
    try {
        const value = JSON.parse(`"${text}"`);
        return typeof value === 'string' ? value : text;
    }
    catch {
        return text;
    }
}

;// CONCATENATED MODULE: ./src/layer-size.ts
/**
 * How many bytes the engine says a layer weighs. Moby's classic store sizes a layer once, when it
 * registers it, and the way it registers it decides what it counts; a layer tar shows none of that.
 */
/** The layer's size as `docker history` and `docker image inspect` count it on overlay2. */
function engineLayerSize(bytes, origin) {
    // moby layer.ChecksumForGraphID (builder-next EnsureLayer): packSizeCounter sums tar header sizes, 0 for links and symlinks.
    if (origin === 'committed')
        return bytes.regular;
    // moby layerStore.applyTar → overlay2 Driver.ApplyDiff → directory.Size: lstat size of each non-directory, once per inode.
    return bytes.regular + bytes.symlinkTargets;
}
/**
 * Which registration the engine's own figure for the layer shows. Without that figure the layer is
 * sized as a pull or `docker load` of the archive would size it, since that is how any other engine gets it.
 */
function layerOrigin(bytes, engineSize) {
    const committed = engineSize !== undefined && engineSize === engineLayerSize(bytes, 'committed');
    return committed && engineSize !== engineLayerSize(bytes, 'applied') ? 'committed' : 'applied';
}

;// CONCATENATED MODULE: ./src/model.ts




/**
 * Joins an archive's layers with their history and, given the built stage, with Dockerfile lines.
 * `engineSizes` are the engine's own sizes per history entry, oldest first, when the image is in its store.
 */
function buildImageModel(archive, stage, engineSizes) {
    const history = archive.config.history ?? [];
    const perLayer = historyForLayers(history, archive.layers.length);
    const lines = stage ? instructionLines(stage, history) : new Map();
    const engineSizeOf = engineSizeLookup(history, engineSizes);
    const layers = archive.layers.map((scan, index) => {
        const entry = perLayer[index];
        const layer = {
            index,
            diffId: archive.diffIds[index] ?? '',
            size: engineLayerSize(scan.bytes, layerOrigin(scan.bytes, entry && engineSizeOf.get(entry))),
            compressedExact: scan.compressedExact,
            compression: scan.compression,
            files: scan.files
        };
        if (scan.compressedSize !== undefined)
            layer.compressedSize = scan.compressedSize;
        if (entry?.created_by)
            layer.createdBy = entry.created_by;
        if (entry)
            layer.instruction = describeHistory(entry);
        const line = entry ? lines.get(entry) : undefined;
        if (line !== undefined)
            layer.dockerfileLine = line;
        return layer;
    });
    const measured = layers.every((layer) => layer.compressedSize !== undefined);
    return {
        id: archive.id,
        configDigest: archive.configDigest,
        platform: platformName(archive.config),
        size: sum(layers.map((layer) => layer.size)),
        compressedSize: measured ? sum(layers.map((layer) => layer.compressedSize ?? 0)) : undefined,
        compressedExact: layers.every((layer) => layer.compressedExact),
        layers,
        config: archive.config,
        env: parseEnv(archive.config.config?.Env ?? []),
        filesystem: MergedFilesystem.fromLayers(archive.layers.map((scan) => scan.entries))
    };
}
/** The engine's size for each history entry; none when its list does not line up with the history. */
function engineSizeLookup(history, engineSizes) {
    const sizes = new Map();
    if (engineSizes?.length !== history.length)
        return sizes;
    history.forEach((entry, index) => sizes.set(entry, engineSizes[index]));
    return sizes;
}
function instructionLines(stage, history) {
    const matches = matchInstructions(stage, history);
    const lines = new Map();
    history.forEach((entry, index) => {
        const instruction = matches[index];
        if (instruction)
            lines.set(entry, instruction.line);
    });
    return lines;
}
function parseEnv(env) {
    const result = {};
    for (const pair of env) {
        const equals = pair.indexOf('=');
        if (equals > 0)
            result[pair.slice(0, equals)] = pair.slice(equals + 1);
    }
    return result;
}
function sum(values) {
    return values.reduce((total, value) => total + value, 0);
}

;// CONCATENATED MODULE: external "string_decoder"
const external_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");
;// CONCATENATED MODULE: external "os"
const external_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");
;// CONCATENATED MODULE: external "events"
const external_events_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");
;// CONCATENATED MODULE: external "child_process"
const external_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");
;// CONCATENATED MODULE: external "path"
const external_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");
;// CONCATENATED MODULE: external "assert"
const external_assert_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");
;// CONCATENATED MODULE: external "fs"
const external_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io-util.js
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { chmod, copyFile, lstat, mkdir, open: io_util_open, readdir, rename, rm, rmdir, stat, symlink, unlink } = external_fs_namespaceObject.promises;
// export const {open} = 'fs'
const IS_WINDOWS = process.platform === 'win32';
/**
 * Custom implementation of readlink to ensure Windows junctions
 * maintain trailing backslash for backward compatibility with Node.js < 24
 *
 * In Node.js 20, Windows junctions (directory symlinks) always returned paths
 * with trailing backslashes. Node.js 24 removed this behavior, which breaks
 * code that relied on this format for path operations.
 *
 * This implementation restores the Node 20 behavior by adding a trailing
 * backslash to all junction results on Windows.
 */
function readlink(fsPath) {
    return __awaiter(this, void 0, void 0, function* () {
        const result = yield fs.promises.readlink(fsPath);
        // On Windows, restore Node 20 behavior: add trailing backslash to all results
        // since junctions on Windows are always directory links
        if (IS_WINDOWS && !result.endsWith('\\')) {
            return `${result}\\`;
        }
        return result;
    });
}
// See https://github.com/nodejs/node/blob/d0153aee367422d0858105abec186da4dff0a0c5/deps/uv/include/uv/win.h#L691
const UV_FS_O_EXLOCK = 0x10000000;
const READONLY = external_fs_namespaceObject.constants.O_RDONLY;
function exists(fsPath) {
    return __awaiter(this, void 0, void 0, function* () {
        try {
            yield stat(fsPath);
        }
        catch (err) {
            if (err.code === 'ENOENT') {
                return false;
            }
            throw err;
        }
        return true;
    });
}
function isDirectory(fsPath_1) {
    return __awaiter(this, arguments, void 0, function* (fsPath, useStat = false) {
        const stats = useStat ? yield stat(fsPath) : yield lstat(fsPath);
        return stats.isDirectory();
    });
}
/**
 * On OSX/Linux, true if path starts with '/'. On Windows, true for paths like:
 * \, \hello, \\hello\share, C:, and C:\hello (and corresponding alternate separator cases).
 */
function isRooted(p) {
    p = normalizeSeparators(p);
    if (!p) {
        throw new Error('isRooted() parameter "p" cannot be empty');
    }
    if (IS_WINDOWS) {
        return (p.startsWith('\\') || /^[A-Z]:/i.test(p) // e.g. \ or \hello or \\hello
        ); // e.g. C: or C:\hello
    }
    return p.startsWith('/');
}
/**
 * Best effort attempt to determine whether a file exists and is executable.
 * @param filePath    file path to check
 * @param extensions  additional file extensions to try
 * @return if file exists and is executable, returns the file path. otherwise empty string.
 */
function tryGetExecutablePath(filePath, extensions) {
    return __awaiter(this, void 0, void 0, function* () {
        let stats = undefined;
        try {
            // test file exists
            stats = yield stat(filePath);
        }
        catch (err) {
            if (err.code !== 'ENOENT') {
                // eslint-disable-next-line no-console
                console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
            }
        }
        if (stats && stats.isFile()) {
            if (IS_WINDOWS) {
                // on Windows, test for valid extension
                const upperExt = external_path_namespaceObject.extname(filePath).toUpperCase();
                if (extensions.some(validExt => validExt.toUpperCase() === upperExt)) {
                    return filePath;
                }
            }
            else {
                if (isUnixExecutable(stats)) {
                    return filePath;
                }
            }
        }
        // try each extension
        const originalFilePath = filePath;
        for (const extension of extensions) {
            filePath = originalFilePath + extension;
            stats = undefined;
            try {
                stats = yield stat(filePath);
            }
            catch (err) {
                if (err.code !== 'ENOENT') {
                    // eslint-disable-next-line no-console
                    console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
                }
            }
            if (stats && stats.isFile()) {
                if (IS_WINDOWS) {
                    // preserve the case of the actual file (since an extension was appended)
                    try {
                        const directory = external_path_namespaceObject.dirname(filePath);
                        const upperName = external_path_namespaceObject.basename(filePath).toUpperCase();
                        for (const actualName of yield readdir(directory)) {
                            if (upperName === actualName.toUpperCase()) {
                                filePath = external_path_namespaceObject.join(directory, actualName);
                                break;
                            }
                        }
                    }
                    catch (err) {
                        // eslint-disable-next-line no-console
                        console.log(`Unexpected error attempting to determine the actual case of the file '${filePath}': ${err}`);
                    }
                    return filePath;
                }
                else {
                    if (isUnixExecutable(stats)) {
                        return filePath;
                    }
                }
            }
        }
        return '';
    });
}
function normalizeSeparators(p) {
    p = p || '';
    if (IS_WINDOWS) {
        // convert slashes on Windows
        p = p.replace(/\//g, '\\');
        // remove redundant slashes
        return p.replace(/\\\\+/g, '\\');
    }
    // remove redundant slashes
    return p.replace(/\/\/+/g, '/');
}
// on Mac/Linux, test the execute bit
//     R   W  X  R  W X R W X
//   256 128 64 32 16 8 4 2 1
function isUnixExecutable(stats) {
    return ((stats.mode & 1) > 0 ||
        ((stats.mode & 8) > 0 &&
            process.getgid !== undefined &&
            stats.gid === process.getgid()) ||
        ((stats.mode & 64) > 0 &&
            process.getuid !== undefined &&
            stats.uid === process.getuid()));
}
// Get the path of cmd.exe in windows
function getCmdPath() {
    var _a;
    return (_a = process.env['COMSPEC']) !== null && _a !== void 0 ? _a : `cmd.exe`;
}
//# sourceMappingURL=io-util.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io.js
var io_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



/**
 * Copies a file or folder.
 * Based off of shelljs - https://github.com/shelljs/shelljs/blob/9237f66c52e5daa40458f94f9565e18e8132f5a6/src/cp.js
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See CopyOptions.
 */
function cp(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        const { force, recursive, copySourceDirectory } = readCopyOptions(options);
        const destStat = (yield ioUtil.exists(dest)) ? yield ioUtil.stat(dest) : null;
        // Dest is an existing file, but not forcing
        if (destStat && destStat.isFile() && !force) {
            return;
        }
        // If dest is an existing directory, should copy inside.
        const newDest = destStat && destStat.isDirectory() && copySourceDirectory
            ? path.join(dest, path.basename(source))
            : dest;
        if (!(yield ioUtil.exists(source))) {
            throw new Error(`no such file or directory: ${source}`);
        }
        const sourceStat = yield ioUtil.stat(source);
        if (sourceStat.isDirectory()) {
            if (!recursive) {
                throw new Error(`Failed to copy. ${source} is a directory, but tried to copy without recursive flag.`);
            }
            else {
                yield cpDirRecursive(source, newDest, 0, force);
            }
        }
        else {
            if (path.relative(source, newDest) === '') {
                // a file cannot be copied to itself
                throw new Error(`'${newDest}' and '${source}' are the same file`);
            }
            yield io_copyFile(source, newDest, force);
        }
    });
}
/**
 * Moves a path.
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See MoveOptions.
 */
function mv(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        if (yield ioUtil.exists(dest)) {
            let destExists = true;
            if (yield ioUtil.isDirectory(dest)) {
                // If dest is directory copy src into dest
                dest = path.join(dest, path.basename(source));
                destExists = yield ioUtil.exists(dest);
            }
            if (destExists) {
                if (options.force == null || options.force) {
                    yield rmRF(dest);
                }
                else {
                    throw new Error('Destination already exists');
                }
            }
        }
        yield mkdirP(path.dirname(dest));
        yield ioUtil.rename(source, dest);
    });
}
/**
 * Remove a path recursively with force
 *
 * @param inputPath path to remove
 */
function rmRF(inputPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (ioUtil.IS_WINDOWS) {
            // Check for invalid characters
            // https://docs.microsoft.com/en-us/windows/win32/fileio/naming-a-file
            if (/[*"<>|]/.test(inputPath)) {
                throw new Error('File path must not contain `*`, `"`, `<`, `>` or `|` on Windows');
            }
        }
        try {
            // note if path does not exist, error is silent
            yield ioUtil.rm(inputPath, {
                force: true,
                maxRetries: 3,
                recursive: true,
                retryDelay: 300
            });
        }
        catch (err) {
            throw new Error(`File was unable to be removed ${err}`);
        }
    });
}
/**
 * Make a directory.  Creates the full path with folders in between
 * Will throw if it fails
 *
 * @param   fsPath        path to create
 * @returns Promise<void>
 */
function mkdirP(fsPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        ok(fsPath, 'a path argument must be provided');
        yield ioUtil.mkdir(fsPath, { recursive: true });
    });
}
/**
 * Returns path of a tool had the tool actually been invoked.  Resolves via paths.
 * If you check and the tool does not exist, it will throw.
 *
 * @param     tool              name of the tool
 * @param     check             whether to check if tool exists
 * @returns   Promise<string>   path to tool
 */
function which(tool, check) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // recursive when check=true
        if (check) {
            const result = yield which(tool, false);
            if (!result) {
                if (IS_WINDOWS) {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also verify the file has a valid extension for an executable file.`);
                }
                else {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.`);
                }
            }
            return result;
        }
        const matches = yield findInPath(tool);
        if (matches && matches.length > 0) {
            return matches[0];
        }
        return '';
    });
}
/**
 * Returns a list of all occurrences of the given tool on the system path.
 *
 * @returns   Promise<string[]>  the paths of the tool
 */
function findInPath(tool) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // build the list of extensions to try
        const extensions = [];
        if (IS_WINDOWS && process.env['PATHEXT']) {
            for (const extension of process.env['PATHEXT'].split(external_path_namespaceObject.delimiter)) {
                if (extension) {
                    extensions.push(extension);
                }
            }
        }
        // if it's rooted, return it if exists. otherwise return empty.
        if (isRooted(tool)) {
            const filePath = yield tryGetExecutablePath(tool, extensions);
            if (filePath) {
                return [filePath];
            }
            return [];
        }
        // if any path separators, return empty
        if (tool.includes(external_path_namespaceObject.sep)) {
            return [];
        }
        // build the list of directories
        //
        // Note, technically "where" checks the current directory on Windows. From a toolkit perspective,
        // it feels like we should not do this. Checking the current directory seems like more of a use
        // case of a shell, and the which() function exposed by the toolkit should strive for consistency
        // across platforms.
        const directories = [];
        if (process.env.PATH) {
            for (const p of process.env.PATH.split(external_path_namespaceObject.delimiter)) {
                if (p) {
                    directories.push(p);
                }
            }
        }
        // find all matches
        const matches = [];
        for (const directory of directories) {
            const filePath = yield tryGetExecutablePath(external_path_namespaceObject.join(directory, tool), extensions);
            if (filePath) {
                matches.push(filePath);
            }
        }
        return matches;
    });
}
function readCopyOptions(options) {
    const force = options.force == null ? true : options.force;
    const recursive = Boolean(options.recursive);
    const copySourceDirectory = options.copySourceDirectory == null
        ? true
        : Boolean(options.copySourceDirectory);
    return { force, recursive, copySourceDirectory };
}
function cpDirRecursive(sourceDir, destDir, currentDepth, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        // Ensure there is not a run away recursive copy
        if (currentDepth >= 255)
            return;
        currentDepth++;
        yield mkdirP(destDir);
        const files = yield ioUtil.readdir(sourceDir);
        for (const fileName of files) {
            const srcFile = `${sourceDir}/${fileName}`;
            const destFile = `${destDir}/${fileName}`;
            const srcFileStat = yield ioUtil.lstat(srcFile);
            if (srcFileStat.isDirectory()) {
                // Recurse
                yield cpDirRecursive(srcFile, destFile, currentDepth, force);
            }
            else {
                yield io_copyFile(srcFile, destFile, force);
            }
        }
        // Change the mode for the newly created directory
        yield ioUtil.chmod(destDir, (yield ioUtil.stat(sourceDir)).mode);
    });
}
// Buffered file copy
function io_copyFile(srcFile, destFile, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        if ((yield ioUtil.lstat(srcFile)).isSymbolicLink()) {
            // unlink/re-link it
            try {
                yield ioUtil.lstat(destFile);
                yield ioUtil.unlink(destFile);
            }
            catch (e) {
                // Try to override file permission
                if (e.code === 'EPERM') {
                    yield ioUtil.chmod(destFile, '0666');
                    yield ioUtil.unlink(destFile);
                }
                // other errors = it doesn't exist, no work to do
            }
            // Copy over symlink
            const symlinkFull = yield ioUtil.readlink(srcFile);
            yield ioUtil.symlink(symlinkFull, destFile, ioUtil.IS_WINDOWS ? 'junction' : null);
        }
        else if (!(yield ioUtil.exists(destFile)) || force) {
            yield ioUtil.copyFile(srcFile, destFile);
        }
    });
}
//# sourceMappingURL=io.js.map
;// CONCATENATED MODULE: external "timers"
const external_timers_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");
;// CONCATENATED MODULE: ./node_modules/@actions/exec/lib/toolrunner.js
var toolrunner_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};







/* eslint-disable @typescript-eslint/unbound-method */
const toolrunner_IS_WINDOWS = process.platform === 'win32';
/*
 * Class for running command line tools. Handles quoting and arg parsing in a platform agnostic way.
 */
class ToolRunner extends external_events_namespaceObject.EventEmitter {
    constructor(toolPath, args, options) {
        super();
        if (!toolPath) {
            throw new Error("Parameter 'toolPath' cannot be null or empty.");
        }
        this.toolPath = toolPath;
        this.args = args || [];
        this.options = options || {};
    }
    _debug(message) {
        if (this.options.listeners && this.options.listeners.debug) {
            this.options.listeners.debug(message);
        }
    }
    _getCommandString(options, noPrefix) {
        const toolPath = this._getSpawnFileName();
        const args = this._getSpawnArgs(options);
        let cmd = noPrefix ? '' : '[command]'; // omit prefix when piped to a second tool
        if (toolrunner_IS_WINDOWS) {
            // Windows + cmd file
            if (this._isCmdFile()) {
                cmd += toolPath;
                for (const a of args) {
                    cmd += ` ${a}`;
                }
            }
            // Windows + verbatim
            else if (options.windowsVerbatimArguments) {
                cmd += `"${toolPath}"`;
                for (const a of args) {
                    cmd += ` ${a}`;
                }
            }
            // Windows (regular)
            else {
                cmd += this._windowsQuoteCmdArg(toolPath);
                for (const a of args) {
                    cmd += ` ${this._windowsQuoteCmdArg(a)}`;
                }
            }
        }
        else {
            // OSX/Linux - this can likely be improved with some form of quoting.
            // creating processes on Unix is fundamentally different than Windows.
            // on Unix, execvp() takes an arg array.
            cmd += toolPath;
            for (const a of args) {
                cmd += ` ${a}`;
            }
        }
        return cmd;
    }
    _processLineBuffer(data, strBuffer, onLine) {
        try {
            let s = strBuffer + data.toString();
            let n = s.indexOf(external_os_namespaceObject.EOL);
            while (n > -1) {
                const line = s.substring(0, n);
                onLine(line);
                // the rest of the string ...
                s = s.substring(n + external_os_namespaceObject.EOL.length);
                n = s.indexOf(external_os_namespaceObject.EOL);
            }
            return s;
        }
        catch (err) {
            // streaming lines to console is best effort.  Don't fail a build.
            this._debug(`error processing line. Failed with error ${err}`);
            return '';
        }
    }
    _getSpawnFileName() {
        if (toolrunner_IS_WINDOWS) {
            if (this._isCmdFile()) {
                return process.env['COMSPEC'] || 'cmd.exe';
            }
        }
        return this.toolPath;
    }
    _getSpawnArgs(options) {
        if (toolrunner_IS_WINDOWS) {
            if (this._isCmdFile()) {
                let argline = `/D /S /C "${this._windowsQuoteCmdArg(this.toolPath)}`;
                for (const a of this.args) {
                    argline += ' ';
                    argline += options.windowsVerbatimArguments
                        ? a
                        : this._windowsQuoteCmdArg(a);
                }
                argline += '"';
                return [argline];
            }
        }
        return this.args;
    }
    _endsWith(str, end) {
        return str.endsWith(end);
    }
    _isCmdFile() {
        const upperToolPath = this.toolPath.toUpperCase();
        return (this._endsWith(upperToolPath, '.CMD') ||
            this._endsWith(upperToolPath, '.BAT'));
    }
    _windowsQuoteCmdArg(arg) {
        // for .exe, apply the normal quoting rules that libuv applies
        if (!this._isCmdFile()) {
            return this._uvQuoteCmdArg(arg);
        }
        // otherwise apply quoting rules specific to the cmd.exe command line parser.
        // the libuv rules are generic and are not designed specifically for cmd.exe
        // command line parser.
        //
        // for a detailed description of the cmd.exe command line parser, refer to
        // http://stackoverflow.com/questions/4094699/how-does-the-windows-command-interpreter-cmd-exe-parse-scripts/7970912#7970912
        // need quotes for empty arg
        if (!arg) {
            return '""';
        }
        // determine whether the arg needs to be quoted
        const cmdSpecialChars = [
            ' ',
            '\t',
            '&',
            '(',
            ')',
            '[',
            ']',
            '{',
            '}',
            '^',
            '=',
            ';',
            '!',
            "'",
            '+',
            ',',
            '`',
            '~',
            '|',
            '<',
            '>',
            '"'
        ];
        let needsQuotes = false;
        for (const char of arg) {
            if (cmdSpecialChars.some(x => x === char)) {
                needsQuotes = true;
                break;
            }
        }
        // short-circuit if quotes not needed
        if (!needsQuotes) {
            return arg;
        }
        // the following quoting rules are very similar to the rules that by libuv applies.
        //
        // 1) wrap the string in quotes
        //
        // 2) double-up quotes - i.e. " => ""
        //
        //    this is different from the libuv quoting rules. libuv replaces " with \", which unfortunately
        //    doesn't work well with a cmd.exe command line.
        //
        //    note, replacing " with "" also works well if the arg is passed to a downstream .NET console app.
        //    for example, the command line:
        //          foo.exe "myarg:""my val"""
        //    is parsed by a .NET console app into an arg array:
        //          [ "myarg:\"my val\"" ]
        //    which is the same end result when applying libuv quoting rules. although the actual
        //    command line from libuv quoting rules would look like:
        //          foo.exe "myarg:\"my val\""
        //
        // 3) double-up slashes that precede a quote,
        //    e.g.  hello \world    => "hello \world"
        //          hello\"world    => "hello\\""world"
        //          hello\\"world   => "hello\\\\""world"
        //          hello world\    => "hello world\\"
        //
        //    technically this is not required for a cmd.exe command line, or the batch argument parser.
        //    the reasons for including this as a .cmd quoting rule are:
        //
        //    a) this is optimized for the scenario where the argument is passed from the .cmd file to an
        //       external program. many programs (e.g. .NET console apps) rely on the slash-doubling rule.
        //
        //    b) it's what we've been doing previously (by deferring to node default behavior) and we
        //       haven't heard any complaints about that aspect.
        //
        // note, a weakness of the quoting rules chosen here, is that % is not escaped. in fact, % cannot be
        // escaped when used on the command line directly - even though within a .cmd file % can be escaped
        // by using %%.
        //
        // the saving grace is, on the command line, %var% is left as-is if var is not defined. this contrasts
        // the line parsing rules within a .cmd file, where if var is not defined it is replaced with nothing.
        //
        // one option that was explored was replacing % with ^% - i.e. %var% => ^%var^%. this hack would
        // often work, since it is unlikely that var^ would exist, and the ^ character is removed when the
        // variable is used. the problem, however, is that ^ is not removed when %* is used to pass the args
        // to an external program.
        //
        // an unexplored potential solution for the % escaping problem, is to create a wrapper .cmd file.
        // % can be escaped within a .cmd file.
        let reverse = '"';
        let quoteHit = true;
        for (let i = arg.length; i > 0; i--) {
            // walk the string in reverse
            reverse += arg[i - 1];
            if (quoteHit && arg[i - 1] === '\\') {
                reverse += '\\'; // double the slash
            }
            else if (arg[i - 1] === '"') {
                quoteHit = true;
                reverse += '"'; // double the quote
            }
            else {
                quoteHit = false;
            }
        }
        reverse += '"';
        return reverse.split('').reverse().join('');
    }
    _uvQuoteCmdArg(arg) {
        // Tool runner wraps child_process.spawn() and needs to apply the same quoting as
        // Node in certain cases where the undocumented spawn option windowsVerbatimArguments
        // is used.
        //
        // Since this function is a port of quote_cmd_arg from Node 4.x (technically, lib UV,
        // see https://github.com/nodejs/node/blob/v4.x/deps/uv/src/win/process.c for details),
        // pasting copyright notice from Node within this function:
        //
        //      Copyright Joyent, Inc. and other Node contributors. All rights reserved.
        //
        //      Permission is hereby granted, free of charge, to any person obtaining a copy
        //      of this software and associated documentation files (the "Software"), to
        //      deal in the Software without restriction, including without limitation the
        //      rights to use, copy, modify, merge, publish, distribute, sublicense, and/or
        //      sell copies of the Software, and to permit persons to whom the Software is
        //      furnished to do so, subject to the following conditions:
        //
        //      The above copyright notice and this permission notice shall be included in
        //      all copies or substantial portions of the Software.
        //
        //      THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
        //      IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
        //      FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
        //      AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
        //      LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
        //      FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
        //      IN THE SOFTWARE.
        if (!arg) {
            // Need double quotation for empty argument
            return '""';
        }
        if (!arg.includes(' ') && !arg.includes('\t') && !arg.includes('"')) {
            // No quotation needed
            return arg;
        }
        if (!arg.includes('"') && !arg.includes('\\')) {
            // No embedded double quotes or backslashes, so I can just wrap
            // quote marks around the whole thing.
            return `"${arg}"`;
        }
        // Expected input/output:
        //   input : hello"world
        //   output: "hello\"world"
        //   input : hello""world
        //   output: "hello\"\"world"
        //   input : hello\world
        //   output: hello\world
        //   input : hello\\world
        //   output: hello\\world
        //   input : hello\"world
        //   output: "hello\\\"world"
        //   input : hello\\"world
        //   output: "hello\\\\\"world"
        //   input : hello world\
        //   output: "hello world\\" - note the comment in libuv actually reads "hello world\"
        //                             but it appears the comment is wrong, it should be "hello world\\"
        let reverse = '"';
        let quoteHit = true;
        for (let i = arg.length; i > 0; i--) {
            // walk the string in reverse
            reverse += arg[i - 1];
            if (quoteHit && arg[i - 1] === '\\') {
                reverse += '\\';
            }
            else if (arg[i - 1] === '"') {
                quoteHit = true;
                reverse += '\\';
            }
            else {
                quoteHit = false;
            }
        }
        reverse += '"';
        return reverse.split('').reverse().join('');
    }
    _cloneExecOptions(options) {
        options = options || {};
        const result = {
            cwd: options.cwd || process.cwd(),
            env: options.env || process.env,
            silent: options.silent || false,
            windowsVerbatimArguments: options.windowsVerbatimArguments || false,
            failOnStdErr: options.failOnStdErr || false,
            ignoreReturnCode: options.ignoreReturnCode || false,
            delay: options.delay || 10000
        };
        result.outStream = options.outStream || process.stdout;
        result.errStream = options.errStream || process.stderr;
        return result;
    }
    _getSpawnOptions(options, toolPath) {
        options = options || {};
        const result = {};
        result.cwd = options.cwd;
        result.env = options.env;
        result['windowsVerbatimArguments'] =
            options.windowsVerbatimArguments || this._isCmdFile();
        if (options.windowsVerbatimArguments) {
            result.argv0 = `"${toolPath}"`;
        }
        return result;
    }
    /**
     * Exec a tool.
     * Output will be streamed to the live console.
     * Returns promise with return code
     *
     * @param     tool     path to tool to exec
     * @param     options  optional exec options.  See ExecOptions
     * @returns   number
     */
    exec() {
        return toolrunner_awaiter(this, void 0, void 0, function* () {
            // root the tool path if it is unrooted and contains relative pathing
            if (!isRooted(this.toolPath) &&
                (this.toolPath.includes('/') ||
                    (toolrunner_IS_WINDOWS && this.toolPath.includes('\\')))) {
                // prefer options.cwd if it is specified, however options.cwd may also need to be rooted
                this.toolPath = external_path_namespaceObject.resolve(process.cwd(), this.options.cwd || process.cwd(), this.toolPath);
            }
            // if the tool is only a file name, then resolve it from the PATH
            // otherwise verify it exists (add extension on Windows if necessary)
            this.toolPath = yield which(this.toolPath, true);
            return new Promise((resolve, reject) => toolrunner_awaiter(this, void 0, void 0, function* () {
                this._debug(`exec tool: ${this.toolPath}`);
                this._debug('arguments:');
                for (const arg of this.args) {
                    this._debug(`   ${arg}`);
                }
                const optionsNonNull = this._cloneExecOptions(this.options);
                if (!optionsNonNull.silent && optionsNonNull.outStream) {
                    optionsNonNull.outStream.write(this._getCommandString(optionsNonNull) + external_os_namespaceObject.EOL);
                }
                const state = new ExecState(optionsNonNull, this.toolPath);
                state.on('debug', (message) => {
                    this._debug(message);
                });
                if (this.options.cwd && !(yield exists(this.options.cwd))) {
                    return reject(new Error(`The cwd: ${this.options.cwd} does not exist!`));
                }
                const fileName = this._getSpawnFileName();
                const cp = external_child_process_namespaceObject.spawn(fileName, this._getSpawnArgs(optionsNonNull), this._getSpawnOptions(this.options, fileName));
                let stdbuffer = '';
                if (cp.stdout) {
                    cp.stdout.on('data', (data) => {
                        if (this.options.listeners && this.options.listeners.stdout) {
                            this.options.listeners.stdout(data);
                        }
                        if (!optionsNonNull.silent && optionsNonNull.outStream) {
                            optionsNonNull.outStream.write(data);
                        }
                        stdbuffer = this._processLineBuffer(data, stdbuffer, (line) => {
                            if (this.options.listeners && this.options.listeners.stdline) {
                                this.options.listeners.stdline(line);
                            }
                        });
                    });
                }
                let errbuffer = '';
                if (cp.stderr) {
                    cp.stderr.on('data', (data) => {
                        state.processStderr = true;
                        if (this.options.listeners && this.options.listeners.stderr) {
                            this.options.listeners.stderr(data);
                        }
                        if (!optionsNonNull.silent &&
                            optionsNonNull.errStream &&
                            optionsNonNull.outStream) {
                            const s = optionsNonNull.failOnStdErr
                                ? optionsNonNull.errStream
                                : optionsNonNull.outStream;
                            s.write(data);
                        }
                        errbuffer = this._processLineBuffer(data, errbuffer, (line) => {
                            if (this.options.listeners && this.options.listeners.errline) {
                                this.options.listeners.errline(line);
                            }
                        });
                    });
                }
                cp.on('error', (err) => {
                    state.processError = err.message;
                    state.processExited = true;
                    state.processClosed = true;
                    state.CheckComplete();
                });
                cp.on('exit', (code) => {
                    state.processExitCode = code;
                    state.processExited = true;
                    this._debug(`Exit code ${code} received from tool '${this.toolPath}'`);
                    state.CheckComplete();
                });
                cp.on('close', (code) => {
                    state.processExitCode = code;
                    state.processExited = true;
                    state.processClosed = true;
                    this._debug(`STDIO streams have closed for tool '${this.toolPath}'`);
                    state.CheckComplete();
                });
                state.on('done', (error, exitCode) => {
                    if (stdbuffer.length > 0) {
                        this.emit('stdline', stdbuffer);
                    }
                    if (errbuffer.length > 0) {
                        this.emit('errline', errbuffer);
                    }
                    cp.removeAllListeners();
                    if (error) {
                        reject(error);
                    }
                    else {
                        resolve(exitCode);
                    }
                });
                if (this.options.input) {
                    if (!cp.stdin) {
                        throw new Error('child process missing stdin');
                    }
                    cp.stdin.end(this.options.input);
                }
            }));
        });
    }
}
/**
 * Convert an arg string to an array of args. Handles escaping
 *
 * @param    argString   string of arguments
 * @returns  string[]    array of arguments
 */
function argStringToArray(argString) {
    const args = [];
    let inQuotes = false;
    let escaped = false;
    let arg = '';
    function append(c) {
        // we only escape double quotes.
        if (escaped && c !== '"') {
            arg += '\\';
        }
        arg += c;
        escaped = false;
    }
    for (let i = 0; i < argString.length; i++) {
        const c = argString.charAt(i);
        if (c === '"') {
            if (!escaped) {
                inQuotes = !inQuotes;
            }
            else {
                append(c);
            }
            continue;
        }
        if (c === '\\' && escaped) {
            append(c);
            continue;
        }
        if (c === '\\' && inQuotes) {
            escaped = true;
            continue;
        }
        if (c === ' ' && !inQuotes) {
            if (arg.length > 0) {
                args.push(arg);
                arg = '';
            }
            continue;
        }
        append(c);
    }
    if (arg.length > 0) {
        args.push(arg.trim());
    }
    return args;
}
class ExecState extends external_events_namespaceObject.EventEmitter {
    constructor(options, toolPath) {
        super();
        this.processClosed = false; // tracks whether the process has exited and stdio is closed
        this.processError = '';
        this.processExitCode = 0;
        this.processExited = false; // tracks whether the process has exited
        this.processStderr = false; // tracks whether stderr was written to
        this.delay = 10000; // 10 seconds
        this.done = false;
        this.timeout = null;
        if (!toolPath) {
            throw new Error('toolPath must not be empty');
        }
        this.options = options;
        this.toolPath = toolPath;
        if (options.delay) {
            this.delay = options.delay;
        }
    }
    CheckComplete() {
        if (this.done) {
            return;
        }
        if (this.processClosed) {
            this._setResult();
        }
        else if (this.processExited) {
            this.timeout = (0,external_timers_namespaceObject.setTimeout)(ExecState.HandleTimeout, this.delay, this);
        }
    }
    _debug(message) {
        this.emit('debug', message);
    }
    _setResult() {
        // determine whether there is an error
        let error;
        if (this.processExited) {
            if (this.processError) {
                error = new Error(`There was an error when attempting to execute the process '${this.toolPath}'. This may indicate the process failed to start. Error: ${this.processError}`);
            }
            else if (this.processExitCode !== 0 && !this.options.ignoreReturnCode) {
                error = new Error(`The process '${this.toolPath}' failed with exit code ${this.processExitCode}`);
            }
            else if (this.processStderr && this.options.failOnStdErr) {
                error = new Error(`The process '${this.toolPath}' failed because one or more lines were written to the STDERR stream`);
            }
        }
        // clear the timeout
        if (this.timeout) {
            clearTimeout(this.timeout);
            this.timeout = null;
        }
        this.done = true;
        this.emit('done', error, this.processExitCode);
    }
    static HandleTimeout(state) {
        if (state.done) {
            return;
        }
        if (!state.processClosed && state.processExited) {
            const message = `The STDIO streams did not close within ${state.delay / 1000} seconds of the exit event from process '${state.toolPath}'. This may indicate a child process inherited the STDIO streams and has not yet exited.`;
            state._debug(message);
        }
        state._setResult();
    }
}
//# sourceMappingURL=toolrunner.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/exec/lib/exec.js
var exec_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


/**
 * Exec a command.
 * Output will be streamed to the live console.
 * Returns promise with return code
 *
 * @param     commandLine        command to execute (can include additional args). Must be correctly escaped.
 * @param     args               optional arguments for tool. Escaping is handled by the lib.
 * @param     options            optional exec options.  See ExecOptions
 * @returns   Promise<number>    exit code
 */
function exec(commandLine, args, options) {
    return exec_awaiter(this, void 0, void 0, function* () {
        const commandArgs = argStringToArray(commandLine);
        if (commandArgs.length === 0) {
            throw new Error(`Parameter 'commandLine' cannot be null or empty.`);
        }
        // Path to tool to execute should be first arg
        const toolPath = commandArgs[0];
        args = commandArgs.slice(1).concat(args || []);
        const runner = new ToolRunner(toolPath, args, options);
        return runner.exec();
    });
}
/**
 * Exec a command and get the output.
 * Output will be streamed to the live console.
 * Returns promise with the exit code and collected stdout and stderr
 *
 * @param     commandLine           command to execute (can include additional args). Must be correctly escaped.
 * @param     args                  optional arguments for tool. Escaping is handled by the lib.
 * @param     options               optional exec options.  See ExecOptions
 * @returns   Promise<ExecOutput>   exit code, stdout, and stderr
 */
function getExecOutput(commandLine, args, options) {
    return exec_awaiter(this, void 0, void 0, function* () {
        var _a, _b;
        let stdout = '';
        let stderr = '';
        //Using string decoder covers the case where a mult-byte character is split
        const stdoutDecoder = new external_string_decoder_namespaceObject.StringDecoder('utf8');
        const stderrDecoder = new external_string_decoder_namespaceObject.StringDecoder('utf8');
        const originalStdoutListener = (_a = options === null || options === void 0 ? void 0 : options.listeners) === null || _a === void 0 ? void 0 : _a.stdout;
        const originalStdErrListener = (_b = options === null || options === void 0 ? void 0 : options.listeners) === null || _b === void 0 ? void 0 : _b.stderr;
        const stdErrListener = (data) => {
            stderr += stderrDecoder.write(data);
            if (originalStdErrListener) {
                originalStdErrListener(data);
            }
        };
        const stdOutListener = (data) => {
            stdout += stdoutDecoder.write(data);
            if (originalStdoutListener) {
                originalStdoutListener(data);
            }
        };
        const listeners = Object.assign(Object.assign({}, options === null || options === void 0 ? void 0 : options.listeners), { stdout: stdOutListener, stderr: stdErrListener });
        const exitCode = yield exec(commandLine, args, Object.assign(Object.assign({}, options), { listeners }));
        //flush any remaining characters
        stdout += stdoutDecoder.end();
        stderr += stderrDecoder.end();
        return {
            exitCode,
            stdout,
            stderr
        };
    });
}
//# sourceMappingURL=exec.js.map
;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
;// CONCATENATED MODULE: ./src/docker.ts







/** The docker CLI; overridable so tests and unusual installs can point elsewhere. */
const DOCKER = process.env['IMAGE_SIZE_GATE_DOCKER'] ?? 'docker';
/** Runs `docker ARGS` with an argument array (never a shell string), capturing its output. */
async function docker(args, onLine) {
    const out = onLine ? new LineSplitter(onLine) : undefined;
    const err = onLine ? new LineSplitter(onLine) : undefined;
    try {
        return await getExecOutput(DOCKER, args, {
            silent: true,
            ignoreReturnCode: true,
            listeners: out && err ? { stdout: (data) => out.push(data), stderr: (data) => err.push(data) } : {}
        });
    }
    catch (error) {
        throw new UserError(`docker CLI could not be run (${messageOf(error)}); install Docker or put docker on PATH`);
    }
    finally {
        out?.flush();
        err?.flush();
    }
}
/** How long the engine may take to say its version: a hung engine is reported, not waited on. */
const ENGINE_TIMEOUT_MS = 60_000;
/**
 * Runs `docker ARGS` for at most `timeoutMs`, in its own process group so the buildx plugin dies
 * with it; for commands that wait on the network or on an engine that may hang.
 */
async function dockerWithin(args, timeoutMs) {
    try {
        return await runBounded(DOCKER, args, { timeoutMs });
    }
    catch (error) {
        if (error instanceof CommandTimeout)
            throw error;
        throw new UserError(`docker CLI could not be run (${messageOf(error)}); install Docker or put docker on PATH`);
    }
}
/** The engine's version; throws a UserError saying how to fix an unreachable or hung engine. */
async function engineVersion(timeoutMs = ENGINE_TIMEOUT_MS) {
    const result = await dockerWithin(['version', '--format', '{{.Server.Version}}'], timeoutMs).catch((error) => {
        if (!(error instanceof CommandTimeout))
            throw error;
        throw new UserError(`Docker engine is not reachable (no answer within ${seconds(timeoutMs)}); start dockerd or point DOCKER_HOST at a running engine`);
    });
    const version = result.stdout.trim();
    if (result.exitCode !== 0 || version === '') {
        const reason = docker_firstLine(result.stderr) || 'no server version reported';
        throw new UserError(`Docker engine is not reachable (${reason}); start dockerd or point DOCKER_HOST at a running engine`);
    }
    return version;
}
let goVersion;
/** The Go the engine (and so its BuildKit) was built with, e.g. go1.27.1; empty when unknown. */
function engineGoVersion() {
    goVersion ??= docker(['version', '--format', '{{.Server.GoVersion}}']).then((result) => (result.exitCode === 0 ? result.stdout.trim() : ''));
    return goVersion;
}
async function buildxVersion() {
    const result = await docker(['buildx', 'version']);
    if (result.exitCode !== 0) {
        throw new UserError('docker buildx is not installed; add docker/setup-buildx-action before this step, or install the docker-buildx plugin');
    }
    return result.stdout.trim();
}
/** Name and driver of the named builder, or of the current one. */
async function inspectBuilder(name) {
    const result = await docker(name ? ['buildx', 'inspect', name] : ['buildx', 'inspect']);
    if (result.exitCode !== 0) {
        throw new UserError(`builder: cannot use builder '${name || 'default'}' (${docker_firstLine(result.stderr)})`);
    }
    return parseBuilderInfo(result.stdout);
}
/** Reads `Name:` and `Driver:` from `docker buildx inspect`, which has no machine-readable format in older buildx. */
function parseBuilderInfo(text) {
    const field = (key) => new RegExp(`^${key}:\\s*(\\S+)`, 'm').exec(text)?.[1];
    return { name: field('Name') ?? 'default', driver: field('Driver') ?? 'docker' };
}
/** Runs a build, streaming buildx's progress into `log`; returns its output so failures can be explained. */
async function runBuild(args, log) {
    return docker(args, (line) => log.info(line));
}
/**
 * Streams the image archive into `consume`: from the engine's socket when it is local, else through `docker save`.
 * With `platform`, an engine that can (API 1.48+) exports that platform's image of a multi-platform one.
 */
async function saveImage(ref, consume, platform = '') {
    const socket = await localEngineSocket();
    const save = (chosen) => (socket ? saveThroughApi(socket, ref, consume, chosen) : saveThroughCli(ref, consume, chosen));
    const wanted = platform && (await exportTakesPlatform()) ? platform : '';
    // The classic store refuses a platform its image lacks; the whole archive lets the reader list what it has.
    return wanted ? save(wanted).catch((error) => (error instanceof ExportRefused ? save('') : Promise.reject(error))) : save('');
}
/** The engine or `docker save` refused to export the image. */
class ExportRefused extends UserError {
}
/** The image-get API and `docker save` take `platform` from API 1.48 (Docker 28) on. */
const PLATFORM_EXPORT_API = [1, 48];
let platformExport;
function exportTakesPlatform() {
    platformExport ??= docker(['version', '--format', '{{.Server.APIVersion}} {{.Client.APIVersion}}']).then((result) => result.exitCode === 0 && result.stdout.trim().split(' ').every((version) => atLeast(version, PLATFORM_EXPORT_API)));
    return platformExport;
}
function atLeast(version, [major = 0, minor = 0]) {
    const [have = NaN, haveMinor = NaN] = version.split('.').map(Number);
    return have > major || (have === major && haveMinor >= minor);
}
/** `os/arch[/variant]` as the OCI platform JSON the engine's `platform` query parameter takes. */
function platformQuery(platform) {
    const [os, architecture, variant] = platform.split('/');
    return JSON.stringify({ os, architecture, ...(variant ? { variant } : {}) });
}
let endpoint;
/** The unix socket of the current docker context's engine, if it is one; contexts and DOCKER_HOST are honoured. */
function localEngineSocket() {
    endpoint ??= docker(['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}']).then((result) => {
        const host = process.env['DOCKER_HOST'] || result.stdout.trim();
        return result.exitCode === 0 && host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
    });
    return endpoint;
}
/**
 * `GET /images/{name}/get` on the engine's socket: the same archive `docker save` writes, without the
 * CLI process copying every byte through a 64 KiB pipe on the way.
 */
async function saveThroughApi(socket, ref, consume, platform) {
    const query = platform ? `?platform=${encodeURIComponent(platformQuery(platform))}` : '';
    const response = await new Promise((resolve, reject) => {
        (0,external_node_http_namespaceObject.request)({ socketPath: socket, path: `/images/${encodeURIComponent(ref)}/get${query}`, headers: { host: 'docker' } }, resolve)
            .on('error', (error) => reject(new UserError(`image: cannot read ${ref} from the engine at ${socket} (${messageOf(error)})`)))
            .end();
    });
    if (response.statusCode !== 200) {
        const body = Buffer.concat(await response.toArray()).toString();
        const message = (() => {
            try {
                return JSON.parse(body).message ?? body;
            }
            catch {
                return body;
            }
        })();
        throw new ExportRefused(`image: the engine could not export ${ref} (${docker_firstLine(message) || `HTTP ${response.statusCode}`})`);
    }
    try {
        return await consume(response);
    }
    finally {
        response.destroy();
    }
}
async function saveThroughCli(ref, consume, platform) {
    const child = (0,external_node_child_process_namespaceObject.spawn)(DOCKER, ['save', ...(platform ? ['--platform', platform] : []), ref], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr = [];
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    const exited = (0,external_node_events_namespaceObject.once)(child, 'close');
    const failed = (0,external_node_events_namespaceObject.once)(child, 'error').then(([error]) => {
        throw new UserError(`docker save could not be run (${messageOf(error)})`);
    });
    try {
        const result = await Promise.race([consume(child.stdout), failed]);
        const [code] = await exited;
        if (code !== 0)
            throw new ExportRefused(`image: docker save ${ref} failed (${docker_firstLine(Buffer.concat(stderr).toString())})`);
        return result;
    }
    catch (error) {
        // docker save failing by itself explains a cut stream better; otherwise the reader's error is the cause.
        const failedFirst = child.exitCode !== null && child.exitCode !== 0;
        if (child.exitCode === null)
            child.kill();
        await exited;
        if (failedFirst && stderr.length > 0) {
            throw new ExportRefused(`image: docker save ${ref} failed (${docker_firstLine(Buffer.concat(stderr).toString())})`);
        }
        throw error;
    }
}
/** `docker image inspect` figures for a local image; a UserError when there is no such image. */
async function inspectImage(ref) {
    const result = await docker(['image', 'inspect', '--format', '{{.Id}} {{.Size}} {{json .RootFS.Layers}}', ref]);
    const [id, size, layers] = result.stdout.trim().split(' ');
    if (result.exitCode !== 0 || !id || size === undefined || !/^[0-9]+$/.test(size)) {
        throw new UserError(`image: '${ref}' is not an image in the local engine (${docker_firstLine(result.stderr) || 'no such image'})`);
    }
    return { id, size: Number(size), diffIds: parseDiffIds(layers) };
}
/**
 * The engine's own size of each history entry, oldest first, in exact bytes: what `docker history`
 * shows. Undefined when the engine cannot say, as the analysis then stands on the archive alone.
 */
async function historySizes(ref) {
    const result = await docker(['history', '--no-trunc', '--human=false', '--format', '{{.Size}}', ref]);
    return result.exitCode === 0 ? parseHistorySizes(result.stdout) : undefined;
}
/** `docker history` lists the newest entry first, one size per line. */
function parseHistorySizes(stdout) {
    const lines = stdout.split('\n').filter((line) => line.trim() !== '');
    if (!lines.every((line) => /^[0-9]+$/.test(line.trim())))
        return undefined;
    return lines.map((line) => Number(line.trim())).reverse();
}
function parseDiffIds(json) {
    try {
        const value = JSON.parse(json ?? '[]');
        return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
    }
    catch {
        return [];
    }
}
function docker_firstLine(text) {
    return (text
        .split('\n')
        .map((line) => line.trim())
        .find((line) => line !== '') ?? '');
}
/** Splits streamed output into lines for the log. */
class LineSplitter {
    emit;
    rest = '';
    constructor(emit) {
        this.emit = emit;
    }
    push(data) {
        const lines = (this.rest + data.toString('utf8')).split('\n');
        this.rest = lines.pop() ?? '';
        for (const line of lines)
            this.emit(line);
    }
    flush() {
        if (this.rest)
            this.emit(this.rest);
        this.rest = '';
    }
}
/**
 * A registry document read without pulling: `docker buildx imagetools inspect --raw REF`, which has no
 * timeout of its own; throws CommandTimeout after `timeoutMs`.
 */
async function imagetoolsRaw(ref, timeoutMs) {
    const result = await dockerWithin(['buildx', 'imagetools', 'inspect', '--raw', ref], timeoutMs);
    if (result.exitCode !== 0)
        throw new Error(`cannot read ${ref} from its registry (${docker_firstLine(result.stderr)})`);
    return result.stdout;
}
/** The image config of a single-platform reference, read from its registry without pulling, for at most `timeoutMs`. */
async function imagetoolsConfig(ref, timeoutMs) {
    const result = await dockerWithin(['buildx', 'imagetools', 'inspect', '--format', '{{json .Image}}', ref], timeoutMs);
    if (result.exitCode !== 0)
        throw new Error(`cannot read the config of ${ref} (${docker_firstLine(result.stderr)})`);
    return result.stdout;
}
/** Whether the engine has this image locally. */
async function imageExists(ref) {
    const result = await docker(['image', 'inspect', '--format', '{{.Id}}', ref]);
    return result.exitCode === 0;
}

;// CONCATENATED MODULE: ./src/registry.ts





/** How long reading a baseline image's manifests and config may take in all; a healthy registry needs seconds. */
const REGISTRY_TIMEOUT_MS = 60_000;
/**
 * A baseline from a registry image, read without pulling: the manifest's layer sizes are the
 * compressed bytes exactly; uncompressed sizes and file listings are unknown.
 */
async function readRegistryBaseline(ref, platform, timeoutMs = REGISTRY_TIMEOUT_MS) {
    const deadline = Date.now() + timeoutMs;
    const left = () => deadline - Date.now();
    try {
        const top = JSON.parse(await imagetoolsRaw(ref, left()));
        const pinned = top.manifests ? `${repositoryOf(ref)}@${choosePlatform(top.manifests, platform, ref).digest}` : ref;
        const manifest = top.manifests ? JSON.parse(await imagetoolsRaw(pinned, left())) : top;
        const config = JSON.parse(await imagetoolsConfig(pinned, left()));
        return registryBaseline(ref, manifest, config);
    }
    catch (error) {
        if (error instanceof CommandTimeout)
            throw new Error(`no answer from the registry of ${ref} within ${seconds(timeoutMs)}`, { cause: error });
        throw error;
    }
}
/** Maps a manifest and its config to a Baseline. Pure, for tests. */
function registryBaseline(ref, manifest, config) {
    const descriptors = manifest.layers ?? [];
    const history = historyForLayers(config.history ?? [], descriptors.length);
    const layers = descriptors.map((descriptor, index) => {
        const entry = history[index];
        const compression = compressionOf(descriptor.mediaType);
        return {
            diffId: config.rootfs?.diff_ids?.[index] ?? descriptor.digest,
            size: 0,
            compressedSize: descriptor.size,
            compressedExact: true,
            ...(compression ? { compression } : {}),
            files: 0,
            createdBy: entry?.created_by ?? null,
            instruction: entry ? describeHistory(entry) : null,
            dockerfileLine: null
        };
    });
    return {
        source: 'image',
        ref,
        size: null,
        compressedSize: descriptors.reduce((total, descriptor) => total + descriptor.size, 0),
        compressedExact: true,
        layers,
        paths: null
    };
}
/** Picks the manifest for `platform` (or linux/amd64) from an index, skipping attestations. */
function choosePlatform(manifests, platform, ref) {
    const wanted = platform || 'linux/amd64';
    const images = manifests.filter((entry) => !isAttestation(entry));
    const match = images.find((entry) => platformName(entry.platform) === wanted) ?? (images.length === 1 ? images[0] : undefined);
    if (!match)
        throw new Error(`${ref} has no image for ${wanted} (it has ${images.map((entry) => platformName(entry.platform)).join(', ')})`);
    return match;
}
/** `registry/name:tag@digest` → `registry/name`. */
function repositoryOf(ref) {
    const withoutDigest = ref.split('@')[0] ?? ref;
    const lastSlash = withoutDigest.lastIndexOf('/');
    const colon = withoutDigest.lastIndexOf(':');
    return colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest;
}

;// CONCATENATED MODULE: ./src/usage.ts

const DEFAULT_LIMITS = { maxDepth: 3, minFileSize: 64_000, minSize: 16_000, limit: 400 };
/** Where the bytes of the merged filesystem are: a bounded du-style table for comparing images. */
function pathUsage(fs, limits = DEFAULT_LIMITS) {
    const totals = new Map();
    const add = (path, bytes) => totals.set(path, (totals.get(path) ?? 0) + bytes);
    const linked = new Set();
    for (const file of fs.walk()) {
        // du counts a hard-linked inode once, under the first name it meets.
        if (file.links > 1 && linked.has(file.inode))
            continue;
        if (file.links > 1)
            linked.add(file.inode);
        const bytes = fileBytes(file);
        if (bytes === 0)
            continue;
        const parts = file.path.split('/');
        const depth = Math.min(limits.maxDepth, parts.length - 1);
        for (let level = 1; level <= depth; level++)
            add(parts.slice(0, level).join('/'), bytes);
        if (bytes >= limits.minFileSize)
            add(file.path, bytes);
    }
    return [...totals]
        .filter(([, size]) => size >= limits.minSize)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, limits.limit)
        .map(([path, size]) => ({ path: `/${path}`, size }));
}

;// CONCATENATED MODULE: ./src/report.ts

function buildReport(model, scan, verdict, insight) {
    const [main] = scan.toolchains;
    return {
        schemaVersion: 1,
        image: {
            id: model.id,
            configDigest: model.configDigest ?? null,
            platform: model.platform,
            size: model.size,
            compressedSize: model.compressedSize ?? null,
            compressedExact: model.compressedExact,
            layers: reportLayers(model),
            paths: pathUsage(model.filesystem)
        },
        goToolchain: {
            found: scan.toolchains.length > 0,
            paths: scan.toolchains.flatMap((toolchain) => toolchain.binaries.map((binary) => `/${binary}`)),
            goVersion: main?.goVersion ?? null,
            bytes: scan.toolchains.reduce((total, toolchain) => total + toolchain.bytes, 0),
            layer: main?.layer ?? null,
            deleted: scan.deleted.map((deleted) => ({ ...deleted, root: `/${deleted.root}` })),
            hints: scan.hints
        },
        binaries: insight.binaries,
        advice: insight.advice,
        wasted: insight.wasted,
        budget: verdict.budget,
        baseline: null,
        baselineNote: null,
        delta: null,
        growth: verdict.growth,
        findings: verdict.findings,
        passed: verdict.passed
    };
}
/** The report's view of a model's layers. */
function reportLayers(model) {
    return model.layers.map((layer) => ({
        diffId: layer.diffId,
        size: layer.size,
        compressedSize: layer.compressedSize ?? null,
        compressedExact: layer.compressedExact,
        ...(layer.compression ? { compression: layer.compression } : {}),
        files: layer.files,
        createdBy: layer.createdBy ?? null,
        instruction: layer.instruction ?? null,
        dockerfileLine: layer.dockerfileLine ?? null
    }));
}

;// CONCATENATED MODULE: ./src/shape.ts
/**
 * Checks that data read back from a file (a saved report, an event payload) has the shape the code
 * expects, before any of it is used. A check returns the value typed, or throws a ShapeError naming
 * the first field that is wrong.
 */
/** The first field that is not as expected, e.g. at `image.layers[0]`, expected `an object`, got `null`. */
class ShapeError extends Error {
    at;
    expected;
    name = 'ShapeError';
    constructor(at, expected) {
        super(`${at || 'the top level'} should be ${expected}`);
        this.at = at;
        this.expected = expected;
    }
}
/** What was found instead, said briefly: `null`, `-1`, `a string`, `missing` (never the text itself). */
function found(value) {
    if (value === undefined)
        return 'missing';
    if (value === '')
        return 'an empty string';
    if (value === null || typeof value === 'number' || typeof value === 'boolean')
        return String(value);
    if (Array.isArray(value))
        return 'an array';
    return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
function fail(at, expected, value) {
    throw new ShapeError(at, `${expected}, not ${found(value)}`);
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const string = (value, at) => (typeof value === 'string' ? value : fail(at, 'a string', value));
const nonEmptyString = (value, at) => typeof value === 'string' && value !== '' ? value : fail(at, 'a non-empty string', value);
const shape_boolean = (value, at) => (typeof value === 'boolean' ? value : fail(at, 'true or false', value));
/** A whole number of bytes, files or lines: finite, not negative, exact in a double. */
const count = (value, at) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fail(at, 'a whole number ≥ 0', value);
const positiveInteger = (value, at) => typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : fail(at, 'a whole number > 0', value);
function literal(expected) {
    return (value, at) => (value === expected ? expected : fail(at, JSON.stringify(expected), value));
}
function matching(pattern, what) {
    return (value, at) => (typeof value === 'string' && pattern.test(value) ? value : fail(at, what, value));
}
function nullable(check) {
    return (value, at) => (value === null ? null : check(value, at));
}
/** A field older writers did not have: absent reads as `fallback`. */
function optional(check, fallback) {
    return (value, at) => (value === undefined ? fallback : check(value, at));
}
function arrayOf(check, options = {}) {
    return (value, at) => {
        if (!Array.isArray(value))
            return fail(at, options.nonEmpty ? 'a non-empty array' : 'an array', value);
        if (options.nonEmpty && value.length === 0)
            throw new ShapeError(at, 'a non-empty array, not an empty one');
        return value.map((item, index) => check(item, `${at}[${index}]`));
    };
}
/** An object with at least these fields; other fields are ignored and not copied. */
function object(fields) {
    return (value, at) => {
        if (!isRecord(value))
            return fail(at, 'an object', value);
        const result = {};
        for (const [key, check] of Object.entries(fields))
            result[key] = check(value[key], at ? `${at}.${key}` : key);
        return result;
    };
}

;// CONCATENATED MODULE: ./src/godiff.ts
/** Build settings that change what the linker writes. */
const SIZE_SETTINGS = ['CGO_ENABLED', '-trimpath', '-ldflags', '-tags', '-buildmode', 'GOAMD64', 'GOARM', 'GOARM64', 'GO386'];
/** Every head Go binary with a base counterpart: by path first, then by a main module unique on both sides. */
function diffGoBinaries(head, base) {
    const heads = head.filter(hasAttribution);
    const bases = base.filter(hasAttribution);
    const basePaths = new Map(bases.map((b) => [b.path, b]));
    const diffs = [];
    const used = new Set();
    for (const h of heads) {
        const b = basePaths.get(h.path);
        if (!b)
            continue;
        used.add(b.path);
        diffs.push(diffBinary(h, b, 'path'));
    }
    const matched = new Set(diffs.map((d) => d.path));
    const byModule = uniqueByModule(bases.filter((b) => !used.has(b.path)));
    const headModules = uniqueByModule(heads.filter((h) => !matched.has(h.path)));
    for (const [module, h] of headModules) {
        const b = byModule.get(module);
        if (b)
            diffs.push(diffBinary(h, b, 'module'));
    }
    return diffs.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.path < b.path ? -1 : 1));
}
/** The Go binaries with a well-formed attribution, slimmed to what the diff reads. */
function goBinaries(binaries) {
    return binaries.filter(hasAttribution).map(({ path, size, module, goAttribution }) => ({ path, size, module, goAttribution }));
}
/** A report read back from disk may be older or hand-edited: only well-formed attributions count. */
function hasAttribution(binary) {
    const a = binary.goAttribution;
    return typeof binary.path === 'string' && typeof binary.size === 'number' && !!a && Array.isArray(a.modules) &&
        Array.isArray(a.buckets) && typeof a.goVersion === 'string' && typeof a.settings === 'object' && a.settings !== null;
}
function uniqueByModule(binaries) {
    const counts = new Map();
    for (const b of binaries)
        if (b.module)
            counts.set(b.module, (counts.get(b.module) ?? 0) + 1);
    return new Map(binaries.filter((b) => b.module && counts.get(b.module) === 1).map((b) => [b.module, b]));
}
function diffBinary(head, base, matchedBy) {
    const [h, b] = [head.goAttribution, base.goAttribution];
    return {
        path: head.path,
        basePath: base.path,
        matchedBy,
        baseSize: base.size,
        headSize: head.size,
        delta: head.size - base.size,
        goVersion: h.goVersion === b.goVersion ? null : { base: b.goVersion, head: h.goVersion },
        modules: moduleChanges(h.modules, b.modules),
        settings: settingChanges(h.settings, b.settings),
        buckets: bucketChanges(h.buckets, b.buckets)
    };
}
function moduleChanges(head, base) {
    const before = new Map(base.map((m) => [m.path, m]));
    const after = new Map(head.map((m) => [m.path, m]));
    const paths = [...new Set([...after.keys(), ...before.keys()])];
    return paths
        .map((path) => moduleChange(path, before.get(path), after.get(path)))
        .filter((change) => change.kind !== 'unchanged' || change.delta !== 0)
        .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.path < b.path ? -1 : 1));
}
function moduleChange(path, base, head) {
    const side = (m) => (m ? { version: m.version, ...(m.replace ? { replace: m.replace } : {}) } : null);
    const baseBytes = base?.bytes ?? 0;
    const headBytes = head?.bytes ?? 0;
    return { path, kind: changeKind(base, head), base: side(base), head: side(head), baseBytes, headBytes, delta: headBytes - baseBytes };
}
function changeKind(base, head) {
    if (!base || !head)
        return base ? 'removed' : 'added';
    const order = compareVersions(head.version, base.version);
    if (order !== 0)
        return order > 0 ? 'upgraded' : 'downgraded';
    return (head.replace ?? '') === (base.replace ?? '') ? 'unchanged' : 'replaced';
}
/** Semantic version order (`v1.2.3`, `go1.22.4`, pre-releases before releases); text order otherwise. */
function compareVersions(a, b) {
    const parse = (v) => /^(?:v|go)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(v);
    const [pa, pb] = [parse(a), parse(b)];
    if (!pa || !pb)
        return a === b ? 0 : a < b ? -1 : 1;
    for (const i of [1, 2, 3]) {
        const diff = Number(pa[i] ?? 0) - Number(pb[i] ?? 0);
        if (diff !== 0)
            return Math.sign(diff);
    }
    const [ra, rb] = [pa[4] ?? '', pb[4] ?? ''];
    if (ra === rb)
        return 0;
    if (ra === '' || rb === '')
        return ra === '' ? 1 : -1;
    return ra < rb ? -1 : 1;
}
function settingChanges(head, base) {
    return SIZE_SETTINGS.filter((key) => (head[key] ?? null) !== (base[key] ?? null)).map((key) => ({
        key,
        base: base[key] ?? null,
        head: head[key] ?? null
    }));
}
function bucketChanges(head, base) {
    const before = new Map(base.map((b) => [b.name, b.bytes]));
    const after = new Map(head.map((b) => [b.name, b.bytes]));
    return [...new Set([...after.keys(), ...before.keys()])]
        .map((name) => ({ name, base: before.get(name) ?? 0, head: after.get(name) ?? 0, delta: (after.get(name) ?? 0) - (before.get(name) ?? 0) }))
        .filter((change) => change.delta !== 0)
        .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.name < b.name ? -1 : 1));
}

;// CONCATENATED MODULE: ./src/entrypoint.ts

/** The PATH Docker gives a container whose image sets none. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Where the loader looks when a binary's RPATH/RUNPATH do not name the library; /usr/local/lib is in glibc's and musl's default config. */
const LIBRARY_DIRS = ['lib', 'usr/lib', 'lib64', 'usr/lib64', 'usr/local/lib'];
/** Multiarch directories (Debian/Ubuntu `x86_64-linux-gnu`, and the musl equivalents) under these. */
const MULTIARCH_PARENTS = ['lib', 'usr/lib'];
const MULTIARCH_NAME = /-linux-(gnu|musl)/;
/** Linux's limit on symlinks followed while resolving one path. */
const MAX_SYMLINK_HOPS = 40;
function imageCommand(config) {
    const entrypoint = config.config?.Entrypoint ?? [];
    if (entrypoint.length > 0 && entrypoint[0] !== '')
        return { source: 'ENTRYPOINT', argv: entrypoint };
    const cmd = config.config?.Cmd ?? [];
    if (cmd.length > 0 && cmd[0] !== '')
        return { source: 'CMD', argv: cmd };
    return undefined;
}
/**
 * Resolves `path` the way the kernel does, following symlinks in every component (so `/bin/sh`
 * works on merged-/usr images where `bin` links to `usr/bin`). Returns the real path, or undefined.
 */
function resolveInImage(fs, path) {
    const resolved = [];
    const pending = path.split('/');
    let hops = 0;
    while (pending.length > 0) {
        const part = pending.shift();
        if (part === '' || part === '.')
            continue;
        if (part === '..') {
            resolved.pop();
            continue;
        }
        const candidate = [...resolved, part].join('/');
        const file = fs.get(candidate);
        if (file?.type === 'symlink' && file.linkname !== undefined) {
            if (++hops > MAX_SYMLINK_HOPS)
                return undefined;
            if (file.linkname.startsWith('/'))
                resolved.length = 0;
            pending.unshift(...file.linkname.split('/'));
            continue;
        }
        // A directory the layer tars never listed still exists when files sit below it.
        if (!file && fs.walk(candidate).next().done)
            return undefined;
        resolved.push(part);
    }
    return resolved.join('/');
}
/** True when `path` resolves to something other than a directory, e.g. a file or device. */
function isFileInImage(fs, path) {
    const real = resolveInImage(fs, path);
    return real !== undefined && real !== '' && !entrypoint_isDirectory(fs, real);
}
function entrypoint_isDirectory(fs, real) {
    const file = fs.get(real);
    return file === undefined || file.type === 'directory';
}
/** The real path of the executable the command names: absolute, relative to WorkingDir, or found on PATH. */
function locateExecutable(model, name) {
    const fs = model.filesystem;
    const candidates = name.includes('/') ? [inWorkingDir(model, name)] : searchPath(model).map((dir) => `${dir}/${name}`);
    for (const candidate of candidates) {
        if (isFileInImage(fs, candidate))
            return resolveInImage(fs, candidate);
    }
    return undefined;
}
function inWorkingDir(model, path) {
    return path.startsWith('/') ? path : `${model.config.config?.WorkingDir || '/'}/${path}`;
}
function searchPath(model) {
    const path = model.env['PATH'] ?? DEFAULT_PATH;
    return path
        .split(':')
        .filter((dir) => dir !== '')
        .map((dir) => inWorkingDir(model, dir));
}
/** Line of the last instruction with this keyword in the stage, which is the one the image keeps. */
function instructionLine(stage, keyword) {
    const matching = stage?.instructions.filter((instruction) => instruction.keyword === keyword) ?? [];
    return matching[matching.length - 1]?.line;
}
/** missing-entrypoint: the command's executable is nowhere in the image. */
function entrypointFinding(model, severity, stage) {
    const command = imageCommand(model.config);
    const name = command?.argv[0];
    if (!command || name === undefined || locateExecutable(model, name) !== undefined)
        return undefined;
    const finding = { rule: 'missing-entrypoint', severity, message: entrypointMessage(model, command, name) };
    if (name.includes('/'))
        finding.path = `/${normaliseDots(inWorkingDir(model, name))}`;
    const line = instructionLine(stage, command.source);
    if (line !== undefined)
        finding.line = line;
    return finding;
}
function entrypointMessage(model, command, name) {
    const { source } = command;
    const fix = 'COPY it into the final stage or fix the path';
    if (command.argv[1] === '-c' && /^(\/bin\/)?sh$/.test(name)) {
        return `${source} uses shell form, which runs /bin/sh, and the image has no /bin/sh; write it in exec form, e.g. ${source} ["/app"]`;
    }
    if (!name.includes('/')) {
        const dirs = model.env['PATH'] ?? DEFAULT_PATH;
        return `${source} runs ${name}, which is in none of the image's PATH directories (${dirs}); COPY it into one of them or use an absolute path`;
    }
    const full = `/${normaliseDots(inWorkingDir(model, name))}`;
    const runs = name.startsWith('/') ? `${source} runs ${name}` : `${source} runs ${name} from WORKDIR ${model.config.config?.WorkingDir || '/'}`;
    const it = full === name ? `${runs}, which` : `${runs}, but ${full}`;
    const link = model.filesystem.get(full.slice(1));
    if (link?.type === 'symlink')
        return `${it} is a symlink to ${link.linkname}, which does not exist in the image; ${fix}`;
    if (resolveInImage(model.filesystem, full) !== undefined)
        return `${it} is a directory; point it at the executable inside`;
    return `${it} does not exist in the image; ${fix}`;
}
/** missing-interpreter and missing-library for every dynamic executable. */
function linkFindings(model, facts, severityFor) {
    const fs = model.filesystem;
    const systemDirs = [...libraryPathDirs(model), ...LIBRARY_DIRS, ...multiarchDirs(fs)];
    const findings = [];
    for (const fact of facts) {
        const file = fs.get(fact.path.slice(1));
        if (fact.static || !file?.elf)
            continue;
        const at = { path: fact.path, layer: file.layer, severity: severityFor(fact) };
        if (fact.interpreter !== null && !isFileInImage(fs, fact.interpreter)) {
            findings.push({ rule: 'missing-interpreter', message: interpreterMessage(fact), ...at });
        }
        const dirs = [...originDirs(fs, fact.path, file.elf), ...systemDirs];
        const missing = fact.needed.filter((library) => !findLibrary(fs, library, dirs));
        if (missing.length > 0)
            findings.push({ rule: 'missing-library', message: libraryMessage(fact, missing), ...at });
    }
    return findings;
}
function interpreterMessage(fact) {
    const base = fact.interpreter?.includes('musl') ? 'alpine' : 'gcr.io/distroless/base';
    const rebuild = fact.goVersion !== null ? 'build it with CGO_ENABLED=0' : 'link it statically';
    const loader = `${fact.path} needs the dynamic loader ${fact.interpreter}, which the image does not have`;
    return `${loader}; ${rebuild}, or use a base image with its C library such as ${base}`;
}
function libraryMessage(fact, missing) {
    const rebuild = fact.goVersion !== null ? ', or build it with CGO_ENABLED=0' : '';
    const needs = `${fact.path} needs shared libraries the image does not have: ${missing.join(', ')}`;
    return `${needs}; install the packages that provide them or COPY them from the build stage${rebuild}`;
}
function findLibrary(fs, library, dirs) {
    // A DT_NEEDED with a slash is opened as a path, not searched for.
    if (library.includes('/'))
        return isFileInImage(fs, library);
    return dirs.some((dir) => isFileInImage(fs, `${dir}/${library}`));
}
/** RPATH and RUNPATH entries with $ORIGIN set to the directory the binary really lives in. */
function originDirs(fs, path, elf) {
    const origin = `/${dirname(resolveInImage(fs, path) ?? path.slice(1))}`;
    return [...elf.runpath, ...elf.rpath].map((dir) => dir.replace(/\$ORIGIN|\$\{ORIGIN\}/g, origin));
}
function libraryPathDirs(model) {
    return (model.env['LD_LIBRARY_PATH'] ?? '').split(':').filter((dir) => dir !== '');
}
/** `lib/<triplet>` and `usr/lib/<triplet>` directories present in the image. */
function multiarchDirs(fs) {
    const dirs = new Set();
    for (const parent of MULTIARCH_PARENTS) {
        const real = resolveInImage(fs, parent);
        if (real === undefined)
            continue;
        for (const file of fs.walk(real)) {
            const child = file.path.slice(real.length + 1).split('/')[0];
            if (child && MULTIARCH_NAME.test(child))
                dirs.add(`${parent}/${child}`);
        }
    }
    return [...dirs];
}

;// CONCATENATED MODULE: ./src/toolchain.ts

const HINT_VARIABLES = ['GOLANG_VERSION', 'GOROOT', 'GOTOOLCHAIN', 'GOPATH'];
/** A Go toolchain is an executable built from the Go distribution's own `cmd/…` packages. */
function isToolchainBinary(file) {
    const path = file.elf?.go?.path;
    return path !== undefined && path.startsWith('cmd/');
}
/** Finds the Go toolchains in the merged filesystem, and the ones that were shipped and then deleted. */
function scanToolchains(fs, env) {
    const groups = new Map();
    for (const file of fs.walk()) {
        if (file.type === 'file' && isToolchainBinary(file))
            groupBy(groups, gorootOf(file.path), file);
    }
    const toolchains = [...groups].map(([root, binaries]) => describeToolchain(fs, root, binaries));
    return {
        toolchains: toolchains.sort((a, b) => b.bytes - a.bytes),
        deleted: findDeleted(fs, toolchains),
        hints: HINT_VARIABLES.filter((name) => env[name] !== undefined).map((name) => `${name}=${env[name]}`)
    };
}
function describeToolchain(fs, root, binaries) {
    const main = binaries.find((file) => file.elf?.go?.path === 'cmd/go') ?? binaries[0];
    const layout = hasGorootLayout(fs, root);
    return {
        root: layout ? root : dirname(main.path),
        goVersion: main.elf?.go?.goVersion ?? 'unknown',
        binaries: binaries.map((file) => file.path).sort(),
        gorootLayout: layout,
        bytes: layout ? gorootBytes(fs, root) : inodeBytes(binaries),
        layer: main.layer
    };
}
/** The GOROOT a toolchain binary belongs to, judged by where Go installs its tools. */
function gorootOf(path) {
    const tool = /^(.*)\/pkg\/tool\/[^/]+\/[^/]+$/.exec(path);
    if (tool?.[1] !== undefined)
        return tool[1];
    const bin = /^(.*)\/bin\/[^/]+$/.exec(path);
    if (bin?.[1] !== undefined)
        return bin[1];
    return dirname(path);
}
/** Bytes of these files, a hard-linked inode once. */
function inodeBytes(files) {
    const inodes = new Map(files.map((file) => [file.inode, fileBytes(file)]));
    return [...inodes.values()].reduce((total, bytes) => total + bytes, 0);
}
function hasGorootLayout(fs, root) {
    if (fs.resolve(`${root}/VERSION`) !== undefined)
        return true;
    const tools = fs.resolve(`${root}/pkg/tool`);
    if (tools === undefined)
        return false;
    for (const file of fs.walk(tools))
        if (file.path.endsWith('/compile'))
            return true;
    return false;
}
/** GOROOT bytes, following symlinks out of it (Debian links src/ to /usr/share/go-1.xx) once each. */
function gorootBytes(fs, root) {
    const targets = [];
    for (const file of fs.walk(root)) {
        if (file.type !== 'symlink')
            continue;
        const target = fs.resolve(file.path);
        if (target !== undefined && !isUnder(target, root) && fs.get(target)?.type === 'directory')
            targets.push(target);
    }
    const outside = targets.sort().filter((target, i, all) => !all.slice(0, i).some((earlier) => isUnder(target, earlier)));
    return outside.reduce((total, target) => total + fs.bytesUnder(target), fs.bytesUnder(root));
}
function findDeleted(fs, present) {
    const groups = new Map();
    for (const file of fs.hiddenFiles()) {
        if (isToolchainBinary(file) && !isToolchainBinary(fs.get(file.path) ?? {}))
            groupBy(groups, gorootOf(file.path), file);
    }
    // A toolchain still at that root is not deleted: an older copy of it is only wasted bytes.
    const gone = [...groups].filter(([root]) => !present.some((toolchain) => toolchain.root === root));
    return gone.map(([root, binaries]) => {
        const main = binaries[0];
        let bytes = 0;
        for (const file of fs.hiddenFiles()) {
            if (file.layer === main.layer && (file.path === root || isUnder(file.path, root)))
                bytes += fileBytes(file);
        }
        return { root, goVersion: main.elf?.go?.goVersion ?? 'unknown', bytes, layer: main.layer, deletedIn: main.hiddenBy };
    });
}
function isUnder(path, dir) {
    return dir === '' || path.startsWith(`${dir}/`);
}
function groupBy(groups, key, item) {
    const list = groups.get(key);
    if (list)
        list.push(item);
    else
        groups.set(key, [item]);
}

;// CONCATENATED MODULE: ./src/waste.ts
/**
 * Bytes that ship but serve no one: files a later layer overwrote or deleted, and package-manager
 * or compiler caches left in the final filesystem.
 */


/** How many hidden files `Waste.top` lists. */
const WASTE_TOP = 5;
/** Below this, overwritten bytes are noise (a touched config file) unless max-wasted says otherwise. */
const WASTE_REPORT_BYTES = 1_000_000;
/** A cache smaller than this is an empty directory with a lock file. */
const CACHE_REPORT_BYTES = 1_000;
/** Content shipped in one layer that a later one overwrote or deleted under every name it had, as dive counts it. */
function wastedBytes(fs) {
    let bytes = 0;
    const top = [];
    for (const file of fs.hiddenFiles()) {
        const hidden = { path: `/${file.path}`, bytes: fileBytes(file), layer: file.layer, hiddenBy: file.hiddenBy };
        bytes += hidden.bytes;
        if (hidden.bytes > 0)
            keepLargest(top, hidden);
    }
    return { bytes, top };
}
/** Keeps `top` the WASTE_TOP largest files seen, biggest first, ties by path. */
function keepLargest(top, file) {
    const last = top[top.length - 1];
    if (top.length === WASTE_TOP && last && !isLarger(file, last))
        return;
    top.push(file);
    top.sort((a, b) => (isLarger(a, b) ? -1 : isLarger(b, a) ? 1 : 0));
    if (top.length > WASTE_TOP)
        top.pop();
}
function isLarger(a, b) {
    return a.bytes > b.bytes || (a.bytes === b.bytes && a.path.localeCompare(b.path) < 0);
}
/** wasted-bytes: a warning from 1 MB, an error over max-wasted (a percentage is of the image's size). */
function wastedFinding(model, limit) {
    const waste = wastedBytes(model.filesystem);
    const percent = model.size > 0 ? (waste.bytes / model.size) * 100 : 0;
    const over = limit !== undefined && (limit.kind === 'bytes' ? waste.bytes > limit.value : percent > limit.value);
    const largest = waste.top[0];
    if (!largest || (!over && waste.bytes < WASTE_REPORT_BYTES))
        return undefined;
    const overText = over ? `, over the max-wasted of ${limit.kind === 'bytes' ? size_formatBytes(limit.value) : `${limit.value}%`}` : '';
    const files = waste.top.map((file) => describeHidden(model.filesystem, file)).join(', ');
    return {
        rule: 'wasted-bytes',
        severity: over ? 'error' : 'warning',
        message: `${size_formatBytes(waste.bytes)} (${percent.toFixed(1)}% of the image) ship in layers that a later layer overwrites or deletes${overText}; ` +
            `largest: ${files}; delete temporary files in the same RUN that creates them, or COPY only what you need from a build stage`,
        path: largest.path,
        layer: largest.layer
    };
}
function describeHidden(fs, file) {
    const how = fs.get(file.path.slice(1)) ? 'replaced' : 'deleted';
    return `${file.path} ${size_formatBytes(file.bytes)} (layer ${file.layer + 1}, ${how} in layer ${file.hiddenBy + 1})`;
}
const mountFix = (alternative) => (path) => `mount it as a cache (RUN --mount=type=cache,target=${path} …) ${alternative}`;
const GO_BUILD = { what: 'Go build cache', fix: mountFix('or build in an earlier stage') };
const GO_MODULES = { what: 'Go module cache', fix: mountFix('or build in an earlier stage') };
const APT_LISTS = {
    what: 'apt package lists',
    fix: () => 'run rm -rf /var/lib/apt/lists/* in the same RUN as apt-get install',
    counts: (path) => !path.endsWith('/lock')
};
const APT_ARCHIVES = {
    what: 'apt package cache',
    fix: () => 'run apt-get clean in the same RUN as apt-get install',
    counts: (path) => path.endsWith('.deb') || path.endsWith('.bin')
};
const FIXED_CACHES = [
    ['go/pkg/mod', GO_MODULES],
    ['root/go/pkg/mod', GO_MODULES],
    ['var/lib/apt/lists', APT_LISTS],
    ['var/cache/apt', APT_ARCHIVES],
    ['root/.npm', { what: 'npm cache', fix: mountFix('or run npm cache clean --force in the same RUN') }],
    ['root/.cache/pip', { what: 'pip cache', fix: () => 'install with pip install --no-cache-dir' }],
    ['var/cache/apk', { what: 'apk cache', fix: () => 'install with apk add --no-cache' }]
];
/** build-cache: one finding per cache directory holding at least 1 kB of visible files. */
function buildCacheFindings(model) {
    const findings = [];
    for (const [path, kind] of cacheLocations(model)) {
        const { bytes, layer } = cacheBytes(model.filesystem, path, kind);
        if (bytes < CACHE_REPORT_BYTES)
            continue;
        findings.push({
            rule: 'build-cache',
            severity: 'warning',
            message: `/${path} holds ${size_formatBytes(bytes)} of ${kind.what} in the final image; ${kind.fix(`/${path}`)}`,
            path: `/${path}`,
            layer
        });
    }
    return findings;
}
/** Known cache directories, those named by Go's env, and every `.cache/go-build` found. */
function cacheLocations(model) {
    const locations = new Map();
    const add = (path, kind) => locations.set(normaliseDots(path), kind);
    const gopaths = (model.env['GOPATH'] ?? '').split(':').filter((dir) => dir !== '');
    for (const gopath of gopaths)
        add(`${gopath}/pkg/mod`, GO_MODULES);
    if (model.env['GOMODCACHE'])
        add(model.env['GOMODCACHE'], GO_MODULES);
    if (model.env['GOCACHE'])
        add(model.env['GOCACHE'], GO_BUILD);
    for (const [path, kind] of FIXED_CACHES)
        add(path, kind);
    for (const path of goBuildCaches(model.filesystem))
        add(path, GO_BUILD);
    return locations;
}
const GO_BUILD_DIR = '.cache/go-build';
function goBuildCaches(fs) {
    const found = new Set();
    for (const file of fs.walk()) {
        const at = `/${file.path}/`.indexOf(`/${GO_BUILD_DIR}/`);
        if (at !== -1)
            found.add(file.path.slice(0, at + GO_BUILD_DIR.length));
    }
    return found;
}
/** Visible cache bytes, and the layer that wrote most of them. */
function cacheBytes(fs, path, kind) {
    const perLayer = new Map();
    for (const file of fs.walk(path)) {
        if (kind.counts && !kind.counts(file.path))
            continue;
        perLayer.set(file.layer, (perLayer.get(file.layer) ?? 0) + fileBytes(file));
    }
    const ranked = [...perLayer].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
    return { bytes: ranked.reduce((total, [, bytes]) => total + bytes, 0), layer: ranked[0]?.[0] ?? 0 };
}

;// CONCATENATED MODULE: ./src/insight.ts






const SHARED_LIBRARY = /\.so(\.[0-9]+)*$/;
const EXECUTABLE_BITS = 0o111;
/** Every ELF executable in the final merged filesystem (not shared libraries), sorted by path. */
function binaryFacts(fs) {
    const facts = [];
    for (const file of fs.walk()) {
        const elf = file.elf;
        if (file.type !== 'file' || !elf || SHARED_LIBRARY.test(basename(file.path)))
            continue;
        if (elf.type === 'exec' || (elf.type === 'dyn' && (file.mode & EXECUTABLE_BITS) !== 0))
            facts.push(factOf(file));
    }
    return facts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
function factOf(file) {
    const elf = file.elf;
    const go = elf.go;
    return {
        path: `/${file.path}`,
        size: file.size,
        static: elf.static,
        interpreter: elf.interpreter ?? null,
        needed: [...elf.needed],
        stripped: elf.stripped,
        strippableBytes: elf.strippableBytes,
        goVersion: go?.goVersion ?? null,
        module: go?.module ?? null,
        cgo: go?.cgo ?? null,
        trimpath: go?.trimpath ?? null,
        vcsRevision: go?.vcsRevision ?? null,
        uses: go ? { tls: go.uses.tls, tzdata: go.uses.tzdata, user: go.uses.user } : null,
        goAttribution: elf.goAttribution ?? null
    };
}
/** Every insight rule; file findings point at the Dockerfile line of the layer that added the file. */
function insightFindings(model, facts, options) {
    const broken = options.failOnBrokenEntrypoint ? 'error' : 'warning';
    const command = imageCommand(model.config)?.argv[0];
    const entrypoint = command === undefined ? undefined : locateExecutable(model, command);
    const isEntrypoint = (fact) => entrypoint !== undefined && resolveInImage(model.filesystem, fact.path) === entrypoint;
    const findings = [
        entrypointFinding(model, broken, options.stage),
        ...linkFindings(model, facts, (fact) => (isEntrypoint(fact) ? broken : 'warning')),
        caFinding(model, facts),
        tzdataFinding(model, facts),
        ...unstrippedFindings(model, facts),
        ...buildCacheFindings(model),
        wastedFinding(model, options.maxWasted),
        rootFinding(model, options.stage)
    ].filter((finding) => finding !== undefined);
    return findings.map((finding) => withLayerLine(model, finding));
}
function withLayerLine(model, finding) {
    const line = finding.layer === undefined ? undefined : model.layers[finding.layer]?.dockerfileLine;
    return finding.line === undefined && line !== undefined ? { ...finding, line } : finding;
}
/** Where Go's crypto/x509 looks for a CA bundle on Linux (root_linux.go). */
const GO_CA_FILES = [
    '/etc/ssl/certs/ca-certificates.crt',
    '/etc/pki/tls/certs/ca-bundle.crt',
    '/etc/ssl/ca-bundle.pem',
    '/etc/pki/tls/cacert.pem',
    '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
    '/etc/ssl/cert.pem'
];
const GO_CA_DIRS = ['/etc/ssl/certs', '/etc/pki/tls/certs'];
/** Where Go's time package looks for zoneinfo on Linux (zoneinfo_unix.go, Go ≥ 1.21). */
const GO_ZONEINFO_DIRS = ['/usr/share/zoneinfo', '/usr/share/lib/zoneinfo', '/usr/lib/locale/TZ', '/etc/zoneinfo'];
/** The Go programs the image ships, without the Go toolchain's own commands (go-toolchain covers those). */
function goPrograms(model, facts) {
    return facts.filter((fact) => fact.goVersion !== null && !isToolchainBinary(model.filesystem.get(fact.path.slice(1)) ?? {}));
}
/** The first CA bundle file Go would read (bytes null when only a certificate directory exists). */
function caBundle(fs) {
    const file = GO_CA_FILES.find((path) => isFileInImage(fs, path));
    const real = file === undefined ? undefined : resolveInImage(fs, file);
    if (file !== undefined && real !== undefined)
        return { path: file, bytes: fs.get(real)?.size ?? 0 };
    const dir = GO_CA_DIRS.find((path) => holdsFile(fs, path));
    return dir === undefined ? undefined : { path: dir, bytes: null };
}
/** A directory counts only if something in it resolves to a file. */
function holdsFile(fs, dir) {
    const real = resolveInImage(fs, dir);
    if (real === undefined || real === '')
        return false;
    for (const file of fs.walk(real))
        if (isFileInImage(fs, file.path))
            return true;
    return false;
}
function caFinding(model, facts) {
    const users = goPrograms(model, facts).filter((fact) => fact.uses?.tls);
    const first = users[0];
    if (!first || model.env['SSL_CERT_FILE'] || model.env['SSL_CERT_DIR'] || caBundle(model.filesystem))
        return undefined;
    const who = `${listOf(users.map((fact) => fact.path))} ${users.length === 1 ? 'uses' : 'use'} TLS`;
    return {
        rule: 'missing-ca-certificates',
        severity: 'warning',
        message: `${who} but the image has no CA certificates where Go looks for them (e.g. /etc/ssl/certs/ca-certificates.crt); ` +
            'COPY --from=<build stage> /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/, use a base image with ca-certificates, or set SSL_CERT_FILE',
        ...locate(model, first)
    };
}
/** Go programs that read zoneinfo files at run time because they do not embed time/tzdata. */
function tzdataUsers(model, facts) {
    const embeds = (fact) => model.filesystem.get(fact.path.slice(1))?.elf?.go?.uses.embeddedTzdata === true;
    return goPrograms(model, facts).filter((fact) => fact.uses?.tzdata && !embeds(fact));
}
function zoneinfoDir(fs) {
    return GO_ZONEINFO_DIRS.find((dir) => holdsFile(fs, dir));
}
function tzdataFinding(model, facts) {
    const users = tzdataUsers(model, facts);
    const first = users[0];
    if (!first || model.env['ZONEINFO'] || zoneinfoDir(model.filesystem))
        return undefined;
    const one = users.length === 1;
    return {
        rule: 'missing-tzdata',
        severity: 'notice',
        message: `${listOf(users.map((fact) => fact.path))} ${one ? 'loads' : 'load'} time zones but the image has no /usr/share/zoneinfo ` +
            `and ${one ? 'it does' : 'they do'} not embed one; add import _ "time/tzdata" (or build with -tags timetzdata), ` +
            'or COPY /usr/share/zoneinfo from the build stage',
        ...locate(model, first)
    };
}
/** Symbols and DWARF smaller than this are not worth a finding (64 kB, decimal like every size we print). */
const UNSTRIPPED_MIN_BYTES = 64_000;
function unstrippedFindings(model, facts) {
    const toolchain = (fact) => isToolchainBinary(model.filesystem.get(fact.path.slice(1)) ?? {});
    return facts
        .filter((fact) => fact.stripped === false && (fact.strippableBytes ?? 0) >= UNSTRIPPED_MIN_BYTES && !toolchain(fact))
        .map((fact) => {
        const how = fact.goVersion !== null ? 'building it with -ldflags="-s -w"' : 'running strip on it';
        const message = `${fact.path} is not stripped; ${how} would save ${size_formatBytes(fact.strippableBytes ?? 0)}`;
        return { rule: 'unstripped-binary', severity: 'notice', message, ...locate(model, fact) };
    });
}
const ROOT_USER = /^(root|0)(:.*)?$/;
function rootFinding(model, stage) {
    const user = model.config.config?.User?.trim() ?? '';
    if (user !== '' && !ROOT_USER.test(user))
        return undefined;
    const why = user === '' ? 'no USER is set' : `USER ${user}`;
    const message = `the image runs as root (${why}); add USER 65532:65532, or another non-root user, to the final stage`;
    const finding = { rule: 'root-user', severity: 'notice', message };
    const line = instructionLine(stage, 'USER');
    if (line !== undefined)
        finding.line = line;
    return finding;
}
function locate(model, fact) {
    const layer = model.filesystem.get(fact.path.slice(1))?.layer;
    return layer === undefined ? { path: fact.path } : { path: fact.path, layer };
}
/** "/a", "/a and /b", "/a, /b and /c". */
function listOf(items) {
    if (items.length <= 1)
        return items.join('');
    return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
/** gcr.io/distroless/base-debian12 (glibc, openssl, CA certificates, tzdata, passwd) weighs about 20 MB. */
const DISTROLESS_BASE_BYTES = 20_000_000;
/** gcr.io/distroless/static-debian12 (CA certificates, tzdata, passwd) weighs about 2 MB. */
const DISTROLESS_STATIC_BYTES = 2_000_000;
/** Debian's /etc/ssl/certs/ca-certificates.crt, for images that have none to measure. */
const CA_BUNDLE_ESTIMATE = 220_000;
/** Go's embedded time/tzdata zoneinfo zip, for images that have no zoneinfo to measure. */
const TZDATA_ESTIMATE = 450_000;
/** An image within 10% of what it could be has nothing worth advising. */
const ADVICE_MARGIN = 1.1;
/** "this image could be about 6.40 MB on scratch (now 813 MB)": the Go programs plus the files they read. */
function advice(model, facts) {
    const fs = model.filesystem;
    const programs = goPrograms(model, facts);
    if (programs.length === 0)
        return null;
    const binaries = programs.reduce((total, fact) => total + fact.size, 0);
    const certificates = programs.some((fact) => fact.uses?.tls) ? (caBundle(fs)?.bytes ?? CA_BUNDLE_ESTIMATE) : 0;
    const zoneinfo = zoneinfoDir(fs);
    const zones = zoneinfo === undefined ? TZDATA_ESTIMATE : fs.bytesUnder(resolveInImage(fs, zoneinfo) ?? '');
    const scratchBytes = binaries + certificates + (tzdataUsers(model, programs).length > 0 ? zones : 0);
    // Distroless already carries CA certificates and tzdata; dynamic Go programs need its glibc variant.
    const allStatic = programs.every((fact) => fact.static);
    const distrolessBytes = binaries + (allStatic ? DISTROLESS_STATIC_BYTES : DISTROLESS_BASE_BYTES);
    const [target, base] = allStatic ? [scratchBytes, 'scratch'] : [distrolessBytes, 'gcr.io/distroless/base'];
    if (model.size <= target * ADVICE_MARGIN)
        return null;
    const text = `this image could be about ${size_formatBytes(target)} on ${base} (now ${size_formatBytes(model.size)})`;
    return { scratchBytes, distrolessBytes, nowBytes: model.size, text };
}

;// CONCATENATED MODULE: ./src/baseline.ts













const none = (note) => ({ baseline: null, note });
/** baseline-report, then baseline-image, then the baseline mode decide where "before" comes from. */
async function resolveBaseline(inputs, base, log, acquire, images, saved) {
    if (inputs.baselineReport)
        return saved ? baselineFromSaved(saved, inputs.platform) : fromReportFile(inputs.baselineReport, inputs.platform);
    if (inputs.baselineImage)
        return fromImage(inputs, log, images);
    const mode = inputs.baseline === 'auto' ? (base ? 'build' : 'none') : inputs.baseline;
    if (mode === 'none')
        return none(base ? 'baseline disabled (baseline: none)' : 'no baseline: not a pull request');
    if (!base)
        return none('no baseline: baseline is build, but the event has no pull request base commit');
    return log.group(`Building the base commit ${base.sha.slice(0, 12)} for comparison`, () => fromBaseCommit(inputs, base, log, acquire));
}
/** Builds the base commit in a temporary worktree with the same inputs. */
async function fromBaseCommit(inputs, base, log, acquire) {
    const root = await repositoryRoot((0,external_node_path_namespaceObject.resolve)(inputs.context));
    if (!root)
        return none('base did not build: the context is not inside a git repository');
    try {
        await ensureCommit(root, base.sha);
    }
    catch (error) {
        return none(`base did not build: cannot fetch base commit ${base.sha.slice(0, 12)} (${messageOf(error)})`);
    }
    return withWorktree(root, base.sha, async (dir) => {
        const moved = moveInto(inputs, root, dir);
        const dockerfile = moved.file || (0,external_node_path_namespaceObject.join)(moved.context, 'Dockerfile');
        const exists = await (0,promises_namespaceObject.access)(dockerfile).then(() => true, () => false);
        if (!exists)
            return none(`new image: the base commit has no ${(0,external_node_path_namespaceObject.relative)(dir, dockerfile)}`);
        try {
            const source = await acquire(moved, log);
            return { baseline: baselineFromModel(buildImageModel(source.archive, source.stage, source.engineSizes), 'build', base.sha), note: null };
        }
        catch (error) {
            if (!(error instanceof UserError))
                throw error;
            return none(`base did not build: ${messageOf(error).split('\n')[0]}`);
        }
    });
}
/** The same build inputs with paths moved from the work tree into the base worktree. */
function moveInto(inputs, root, dir) {
    const move = (path) => (0,external_node_path_namespaceObject.join)(dir, (0,external_node_path_namespaceObject.relative)(root, (0,external_node_path_namespaceObject.resolve)(path)));
    // The base is built from its own Dockerfile even when the head came from `image`,
    // and must not overwrite the head's exported cache.
    return { ...inputs, image: '', context: move(inputs.context), file: inputs.file ? move(inputs.file) : '', cacheTo: [] };
}
async function fromImage(inputs, log, images) {
    const ref = inputs.baselineImage;
    if (await images.exists(ref)) {
        const source = await images.acquireImage(ref, inputs, log);
        return { baseline: baselineFromModel(buildImageModel(source.archive, source.stage, source.engineSizes), 'image', ref), note: null };
    }
    try {
        return { baseline: await readRegistryBaseline(ref, inputs.platform), note: null };
    }
    catch (error) {
        log.warning(`${Input.BaselineImage}: ${messageOf(error)}`);
        return none(`baseline image ${ref} could not be read: ${messageOf(error)}`);
    }
}
/** A saved report's image, as far as a baseline needs it; `paths` came later, so older reports lack it. */
const savedImage = object({
    id: string,
    configDigest: optional(nullable(string), null),
    platform: string,
    size: count,
    compressedSize: nullable(count),
    compressedExact: shape_boolean,
    layers: arrayOf(object({
        diffId: string,
        size: count,
        compressedSize: nullable(count),
        compressedExact: shape_boolean,
        files: count,
        createdBy: nullable(string),
        instruction: nullable(string),
        dockerfileLine: nullable(count)
    })),
    paths: optional(nullable(arrayOf(object({ path: string, size: count }))), null)
});
/** Build settings as `go version -m` prints them: names to values. */
const settingsRecord = (value, at) => {
    if (!isRecord(value))
        throw new ShapeError(at, 'an object of build settings');
    for (const [key, setting] of Object.entries(value))
        string(setting, `${at}.${key}`);
    return value;
};
const namedBytes = object({ name: string, bytes: count });
const savedAttribution = object({
    goVersion: string,
    settings: settingsRecord,
    modules: arrayOf(object({ path: string, version: string, replace: optional(string, undefined), bytes: count })),
    packages: arrayOf(namedBytes),
    buckets: arrayOf(namedBytes),
    textBytes: count,
    paddingBytes: count,
    namedTextBytes: count
});
/** Go binaries as the module diff needs them; reports from before attribution have none. */
const savedBinaries = optional(arrayOf(object({ path: string, size: count, module: optional(nullable(string), null), goAttribution: optional(nullable(savedAttribution), null) })), []);
const savedReport = object({ schemaVersion: literal(1), image: savedImage, binaries: savedBinaries });
const savedPlatforms = object({ platforms: arrayOf(savedReport, { nonEmpty: true }), schemaVersion: literal(1) });
/** Checks a parsed report file's shape, throwing a ShapeError that names the first field that is wrong. */
function parseSavedReports(value) {
    if (isRecord(value) && 'platforms' in value)
        return { platforms: savedPlatforms(value, '').platforms };
    return { single: savedReport(value, '') };
}
/** Reads a report saved by an earlier run. A missing file is a cache miss, not an error; any other fault is. */
async function readBaselineReport(path) {
    const file = await readJsonFile(path, Input.BaselineReport);
    if (!file.found)
        return { path, contents: null };
    try {
        return { path, contents: parseSavedReports(file.value) };
    }
    catch (error) {
        if (!(error instanceof ShapeError))
            throw error;
        throw new UserError(`${Input.BaselineReport}: '${path}' is not an image-size-gate report: ${error.message}`);
    }
}
/** The baseline for one platform; a multi-platform report is compared like with like. */
function baselineFromSaved(saved, platform) {
    const { path, contents } = saved;
    if (!contents)
        return none(`no baseline: ${Input.BaselineReport} '${path}' does not exist (yet)`);
    const report = 'single' in contents ? contents.single : contents.platforms.find((entry) => !platform || entry.image.platform === platform);
    if (!report)
        return none(`no baseline: ${Input.BaselineReport} '${path}' has no report for ${platform}`);
    const { size, compressedSize, compressedExact, layers, paths } = report.image;
    const binaries = goBinaries(report.binaries);
    return { baseline: { source: 'report', ref: path, size, compressedSize, compressedExact, layers, paths, binaries }, note: null };
}
async function fromReportFile(path, platform = '') {
    return baselineFromSaved(await readBaselineReport(path), platform);
}
function baselineFromModel(model, source, ref) {
    return {
        source,
        ref,
        size: model.size,
        compressedSize: model.compressedSize ?? null,
        compressedExact: model.compressedExact,
        layers: reportLayers(model),
        paths: pathUsage(model.filesystem),
        binaries: goBinaries(binaryFacts(model.filesystem))
    };
}

;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
;// CONCATENATED MODULE: ./src/compress.ts


/** Go 1.27 replaced compress/flate with klauspost's (golang/go#75532): at the default level it writes ~2% more than zlib. */
const GO_127_SCALE = 1.02;
/**
 * What to multiply a zlib level-6 estimate by to match the gzip a builder built with `goVersion` pushes:
 * Go 1.19–1.26 match zlib within 0.2% on layer tars, Go 1.27 writes 1.4–2.4% more (measured; see README).
 */
function gzipScaleFor(goVersion) {
    const match = /^go(\d+)\.(\d+)/.exec(goVersion.trim());
    if (!match)
        return 1;
    const [major, minor] = [Number(match[1]), Number(match[2])];
    return major > 1 || minor >= 27 ? GO_127_SCALE : 1;
}
/** deflate's window: a chunk primed with this much of what came before matches exactly as a single stream would. */
const WINDOW_BYTES = 32 * 1024;
/** gzip wraps raw deflate in a 10-byte header and an 8-byte trailer (CRC-32, length). */
const GZIP_FRAMING_BYTES = 10 + 8;
/**
 * 2 MiB keeps the per-chunk block-boundary cost (measured ~11–14 bytes on near-empty output such as zeros)
 * under 0.6% of the smallest possible output, while a small layer still splits across cores.
 */
const DEFAULT_CHUNK_BYTES = 2 * 1024 * 1024;
/** libuv's pool has 4 threads by default, so queueing more than 8 chunks would only cost memory. */
const MAX_DEFAULT_IN_FLIGHT = 8;
/** Fewer, larger output buffers mean fewer hops between the pool thread and the JS thread per chunk. */
const OUTPUT_BUFFER_BYTES = 128 * 1024;
function checkedInteger(name, value, min, max) {
    if (!Number.isInteger(value) || value < min || value > max) {
        throw new RangeError(`GzipSizeEstimator: ${name} must be an integer from ${min} to ${max}, got ${value}`);
    }
    return value;
}
/** Estimates the gzip size of a byte stream by deflating independent chunks in parallel, each primed with the previous 32 KiB as a dictionary. */
class GzipSizeEstimator {
    level;
    chunkBytes;
    maxInFlight;
    scale;
    inFlight = new Set();
    /** Buffers whose deflate finished, reused so memory stays flat however long the stream is. */
    spare = [];
    current;
    filled = 0;
    previous;
    deflatedBytes = 0;
    failure;
    /** Set while a write waits for room; later writes queue behind it so bytes stay in order. */
    stalled;
    ended = false;
    constructor(options = {}) {
        this.level = checkedInteger('level', options.level ?? 6, 0, 9);
        this.chunkBytes = checkedInteger('chunkBytes', options.chunkBytes ?? DEFAULT_CHUNK_BYTES, WINDOW_BYTES, 2 ** 30);
        const defaultInFlight = Math.min(2 * (0,external_node_os_namespaceObject.availableParallelism)(), MAX_DEFAULT_IN_FLIGHT);
        this.maxInFlight = checkedInteger('maxInFlight', options.maxInFlight ?? defaultInFlight, 1, 1024);
        this.scale = options.scale ?? 1;
        if (!(this.scale > 0 && this.scale < 2))
            throw new RangeError(`GzipSizeEstimator: scale must be between 0 and 2, got ${this.scale}`);
        this.current = new Uint8Array(this.chunkBytes);
    }
    /** Accepts the next bytes; the chunk views may be reused by the caller after the returned promise resolves, so copy what you keep. Resolves when there is room for more (backpressure). */
    write(chunk) {
        if (this.ended)
            throw new Error('GzipSizeEstimator: write after end');
        this.throwIfFailed();
        if (this.stalled)
            return this.track(this.stalled.then(() => this.resume(chunk, 0)));
        const stopped = this.absorb(chunk, 0);
        if (stopped < chunk.length)
            return this.track(this.resume(chunk, stopped));
    }
    /** Flushes and resolves with the estimated gzip size in bytes (header and trailer included), scaled. */
    async end() {
        if (this.ended)
            throw new Error('GzipSizeEstimator: end called twice');
        this.ended = true;
        await this.stalled;
        // The last chunk closes the stream with a final block, as a single gzip stream would.
        this.dispatch(external_node_zlib_namespaceObject.constants.Z_FINISH);
        while (this.inFlight.size > 0)
            await Promise.race(this.inFlight);
        this.throwIfFailed();
        return Math.round((this.deflatedBytes + GZIP_FRAMING_BYTES) * this.scale);
    }
    track(pending) {
        const settled = pending.finally(() => {
            if (this.stalled === settled)
                this.stalled = undefined;
        });
        this.stalled = settled;
        return settled;
    }
    /** Copies from `offset` until the chunk is consumed or every worker slot is busy; returns where it stopped. */
    absorb(chunk, offset) {
        let at = offset;
        while (at < chunk.length) {
            // A full chunk waits for the next byte before it is sent, so only the true last chunk gets the final block.
            if (this.filled === this.chunkBytes) {
                if (this.inFlight.size >= this.maxInFlight)
                    return at;
                this.dispatch(external_node_zlib_namespaceObject.constants.Z_BLOCK);
            }
            const count = Math.min(chunk.length - at, this.chunkBytes - this.filled);
            this.current.set(chunk.subarray(at, at + count), this.filled);
            this.filled += count;
            at += count;
        }
        return at;
    }
    async resume(chunk, offset) {
        let at = offset;
        while (at < chunk.length) {
            while (this.inFlight.size >= this.maxInFlight)
                await Promise.race(this.inFlight);
            this.throwIfFailed();
            at = this.absorb(chunk, at);
        }
    }
    /**
     * Deflates the current buffer on the libuv pool and starts a fresh one. Z_BLOCK ends a non-final
     * block without byte alignment, so chunk outputs add up like one bit stream (measured: 0.5–5 bytes
     * per chunk closer to a single stream than Z_FINISH or Z_SYNC_FLUSH).
     */
    dispatch(finishFlush) {
        const buffer = this.current;
        const options = { level: this.level, finishFlush, chunkSize: OUTPUT_BUFFER_BYTES };
        if (this.previous)
            options.dictionary = this.previous.subarray(this.chunkBytes - WINDOW_BYTES);
        const job = this.deflate(buffer.subarray(0, this.filled), options).then(() => {
            this.inFlight.delete(job);
            this.spare.push(buffer);
        }, (error) => {
            this.inFlight.delete(job);
            this.failure ??= { error };
        });
        this.inFlight.add(job);
        this.previous = buffer;
        this.filled = 0;
        if (finishFlush === external_node_zlib_namespaceObject.constants.Z_FINISH)
            return;
        // The spare may be the buffer that just supplied the dictionary: zlib copied it when the stream was created.
        this.current = this.spare.pop() ?? new Uint8Array(this.chunkBytes);
    }
    deflate(input, options) {
        return new Promise((resolve, reject) => {
            const stream = (0,external_node_zlib_namespaceObject.createDeflateRaw)(options);
            stream.on('data', (out) => {
                this.deflatedBytes += out.length;
            });
            stream.on('end', resolve);
            stream.on('error', reject);
            stream.end(input);
        });
    }
    throwIfFailed() {
        if (this.failure)
            throw this.failure.error;
    }
}

;// CONCATENATED MODULE: ./src/goattribution.ts
const BUCKETS = {
    pclntab: 'pclntab',
    types: 'type and itab data',
    rodata: 'read-only data',
    data: 'data',
    dwarf: 'DWARF',
    symbols: 'symbol tables',
    cgo: 'C code (cgo)',
    unnamed: 'Go code without a package',
    padding: 'alignment padding between functions',
    headers: 'ELF headers and padding'
};
const STD = 'std';
const UNKNOWN_MODULE = '(unknown module)';
const TOP_PACKAGES = 10;
const SHT_NOBITS = 8;
const SHF_EXECINSTR = 4;
/** Attribution of a Go binary; null when the pieces disagree (e.g. code larger than the file's text). */
function attributeGo(fileSize, sections, code, go) {
    const { buckets, textBytes } = sectionBuckets(fileSize, sections);
    const goCode = code.end - code.start;
    const cgoBytes = textBytes - goCode;
    if (cgoBytes < 0)
        return null;
    add(buckets, go.cgo === true ? BUCKETS.cgo : BUCKETS.headers, cgoBytes);
    add(buckets, BUCKETS.unnamed, code.packages.get('') ?? 0);
    add(buckets, BUCKETS.padding, code.padding);
    const modules = moduleBytes(code.packages, go);
    const packages = [...code.packages].filter(([name]) => name !== '').map(([name, bytes]) => ({ name, bytes }));
    const attributed = goattribution_sum(modules) + goattribution_sum([...buckets.values()].map((bytes) => ({ bytes })));
    if (attributed > fileSize)
        return null;
    add(buckets, BUCKETS.headers, fileSize - attributed);
    return {
        goVersion: go.goVersion,
        settings: { ...go.settings },
        modules,
        packages: largestFirst(packages).slice(0, TOP_PACKAGES),
        buckets: largestFirst([...buckets].filter(([, bytes]) => bytes > 0).map(([name, bytes]) => ({ name, bytes }))),
        textBytes,
        paddingBytes: code.padding,
        namedTextBytes: goCode - code.padding - (code.packages.get('') ?? 0)
    };
}
/** Bytes of each section bucket (overlaps counted once) and of executable sections, which hold code. */
function sectionBuckets(fileSize, sections) {
    const buckets = new Map();
    let textBytes = 0;
    let cursor = 0;
    const inFile = sections.filter((s) => s.type !== SHT_NOBITS && s.size > 0).sort((a, b) => a.offset - b.offset);
    for (const section of inFile) {
        const end = Math.min(section.offset + section.size, fileSize);
        const bytes = Math.max(0, end - Math.max(section.offset, cursor));
        cursor = Math.max(cursor, end);
        if ((section.flags & SHF_EXECINSTR) !== 0)
            textBytes += bytes;
        else
            add(buckets, sectionBucket(section.name), bytes);
    }
    return { buckets, textBytes };
}
function sectionBucket(name) {
    if (name === '.gopclntab')
        return BUCKETS.pclntab;
    if (name === '.typelink' || name === '.itablink')
        return BUCKETS.types;
    if (name === '.rodata' || name === '.data.rel.ro' || name === '.go.fipsinfo')
        return BUCKETS.rodata;
    if (name === '.data' || name === '.noptrdata' || name === '.go.buildinfo' || name === '.tbss')
        return BUCKETS.data;
    if (name.startsWith('.debug_') || name.startsWith('.zdebug_'))
        return BUCKETS.dwarf;
    if (name === '.symtab' || name === '.strtab' || name === '.gosymtab')
        return BUCKETS.symbols;
    return BUCKETS.headers;
}
/** Sums package code into modules by the longest module path that prefixes the package. */
function moduleBytes(packages, go) {
    const main = { path: go.module ?? go.path, version: go.moduleVersion ?? '' };
    const candidates = [main, ...go.deps].filter((m) => m.path !== '').sort((a, b) => b.path.length - a.path.length);
    const totals = new Map();
    for (const [pkg, bytes] of packages) {
        if (pkg === '')
            continue;
        const module = pkg === 'main' ? main : moduleOfPackage(pkg, candidates);
        const key = module?.path ?? (isStdPackage(pkg) ? STD : UNKNOWN_MODULE);
        const entry = totals.get(key) ?? describe(key, module, go.goVersion);
        entry.bytes += bytes;
        totals.set(key, entry);
    }
    return largestFirst([...totals.values()]);
}
function moduleOfPackage(pkg, candidates) {
    if (pkg.startsWith('vendor/'))
        return undefined;
    return candidates.find((m) => pkg === m.path || pkg.startsWith(`${m.path}/`));
}
/** Standard library import paths have no dot in their first element (`net/http`, `vendor/golang.org/x/net`). */
function isStdPackage(pkg) {
    return pkg.startsWith('vendor/') || !(pkg.split('/')[0] ?? '').includes('.');
}
function describe(key, module, goVersion) {
    if (!module)
        return { path: key, version: key === STD ? goVersion : '', bytes: 0 };
    const entry = { path: module.path, version: module.version, bytes: 0 };
    if (module.replace)
        entry.replace = `${module.replace.path} ${module.replace.version}`.trim();
    return entry;
}
function add(buckets, name, bytes) {
    if (bytes !== 0)
        buckets.set(name, (buckets.get(name) ?? 0) + bytes);
}
function goattribution_sum(items) {
    return items.reduce((total, item) => total + item.bytes, 0);
}
function largestFirst(items) {
    const key = (item) => item.path ?? item.name ?? '';
    return items.sort((a, b) => b.bytes - a.bytes || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

;// CONCATENATED MODULE: ./src/gobuildinfo.ts
/** The 14-byte magic that opens the `.go.buildinfo` section (Go ≥ 1.13). */
const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const BUILDINFO_HEADER_BYTES = 32;
/** Go's debug/buildinfo looks this far into the first writable segment for the magic. */
const BUILDINFO_SEARCH_BYTES = 64 * 1024;
const BUILDINFO_ALIGN = 16;
const FLAG_BIG_ENDIAN = 1;
const FLAG_INLINE = 2;
/** Sentinels the go command wraps around the modinfo text (runtime/debug strips them). */
const MODINFO_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const MODINFO_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');
const SENTINEL_BYTES = 16;
/** Function names in the pclntab (kept by `strip` and `-s -w`) that reveal what a binary uses. */
const USE_PATTERNS = [
    { use: 'tls', text: 'crypto/tls.' },
    // Reads the system CA bundle; present without crypto/tls when a program verifies certificates itself.
    { use: 'tls', text: 'crypto/x509.loadSystemRoots' },
    // Every path to the zoneinfo files (time.LoadLocation, time.Local's init) goes through loadLocation.
    { use: 'tzdata', text: 'time.loadLocation' },
    { use: 'embeddedTzdata', text: 'time/tzdata.' },
    { use: 'user', text: 'os/user.' }
];
/** Index of the magic in `window` at a 16-byte aligned file offset, as Go requires; -1 when absent. */
function findBuildInfoHeader(window, windowOffset) {
    const bytes = asBuffer(window);
    let at = bytes.indexOf(BUILDINFO_MAGIC);
    while (at !== -1 && (windowOffset + at) % BUILDINFO_ALIGN !== 0)
        at = bytes.indexOf(BUILDINFO_MAGIC, at + 1);
    return at;
}
/** Reads the 32-byte header; null when it is truncated or names an impossible pointer size. */
function readBuildInfoHeader(header) {
    if (header.length < BUILDINFO_HEADER_BYTES || !startsWith(header, BUILDINFO_MAGIC, 0))
        return null;
    const flags = header[15] ?? 0;
    if ((flags & FLAG_INLINE) !== 0)
        return { format: 'inline' };
    const ptrSize = header[14];
    if (ptrSize !== 4 && ptrSize !== 8)
        return null;
    const bigEndian = (flags & FLAG_BIG_ENDIAN) !== 0;
    const versionAddr = readPointer(header, 16, ptrSize, bigEndian);
    const modinfoAddr = readPointer(header, 16 + ptrSize, ptrSize, bigEndian);
    return { format: 'pointer', ptrSize, bigEndian, versionAddr, modinfoAddr };
}
/** Reads an unsigned pointer-sized integer; 64-bit values above 2^53 lose precision (never a real address). */
function readPointer(bytes, at, size, bigEndian) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (size === 4)
        return view.getUint32(at, !bigEndian);
    const high = view.getUint32(bigEndian ? at : at + 4, !bigEndian);
    const low = view.getUint32(bigEndian ? at + 4 : at, !bigEndian);
    return high * 2 ** 32 + low;
}
/** Total bytes, from the magic on, that an inline header needs; null when the lengths are unreadable. */
function inlineExtent(bytes) {
    const version = uvarint(bytes, BUILDINFO_HEADER_BYTES);
    if (!version)
        return null;
    const modinfoAt = version.next + version.value;
    const modinfo = uvarint(bytes, modinfoAt);
    if (!modinfo)
        return null;
    return modinfo.next + modinfo.value;
}
/** Splits an inline build info blob (header included) into its version and modinfo strings. */
function parseInline(bytes) {
    const version = uvarint(bytes, BUILDINFO_HEADER_BYTES);
    if (!version || version.next + version.value > bytes.length)
        return null;
    const modinfo = uvarint(bytes, version.next + version.value);
    if (!modinfo || modinfo.next + modinfo.value > bytes.length)
        return null;
    return {
        version: asBuffer(bytes).toString('utf8', version.next, version.next + version.value),
        modinfo: bytes.subarray(modinfo.next, modinfo.next + modinfo.value)
    };
}
/** Go's uvarint (LEB128); null when it runs past the bytes or is longer than Go allows. */
function uvarint(bytes, at) {
    let value = 0;
    for (let i = 0; i < 10 && at + i < bytes.length; i++) {
        const byte = bytes[at + i] ?? 0;
        value += (byte & 0x7f) * 2 ** (7 * i);
        if (byte < 0x80)
            return { value, next: at + i + 1 };
    }
    return null;
}
/** A Go string header (data pointer, length) as laid out in the data segment. */
function readStringHeader(bytes, ptrSize, bigEndian) {
    return { addr: readPointer(bytes, 0, ptrSize, bigEndian), len: readPointer(bytes, ptrSize, ptrSize, bigEndian) };
}
const VERSION_PATTERN = /^go1\.\d+(?:\.\d+)?(?:(?:beta|rc)\d+)?/;
/**
 * Best-effort runtime.buildVersion for the pointer format when its string header is unreadable:
 * Go strings are not NUL-terminated, so the version is the longest `go1.N[.N][rcN]` prefix of a candidate.
 */
function versionFromCandidate(bytes) {
    const match = VERSION_PATTERN.exec(asBuffer(bytes).toString('latin1', 0, Math.min(bytes.length, 40)));
    return match ? match[0] : null;
}
/** The modinfo blob, sentinels included, that starts at `bytes[0]`; null when its end sentinel is missing. */
function modinfoFromCandidate(bytes) {
    const end = asBuffer(bytes).indexOf(MODINFO_END, SENTINEL_BYTES);
    if (end === -1 || !startsWith(bytes, MODINFO_START, 0))
        return null;
    return bytes.subarray(0, end + SENTINEL_BYTES);
}
/** Removes the 16-byte sentinels the way runtime/debug does, then decodes the text. */
function modinfoText(raw) {
    const n = raw.length;
    const wrapped = n >= 2 * SENTINEL_BYTES + 1 && raw[n - SENTINEL_BYTES - 1] === 0x0a;
    const body = wrapped ? raw.subarray(SENTINEL_BYTES, n - SENTINEL_BYTES) : raw;
    return asBuffer(body).toString('utf8');
}
/** Builds GoInfo from the version string and modinfo text (`path`, `mod`, `dep`, `build` lines). */
function goInfo(goVersion, modinfo, uses) {
    let path = '';
    let main;
    let last;
    const deps = [];
    const settings = {};
    let sawBuild = false;
    for (const line of modinfo.split('\n')) {
        const [kind, ...fields] = line.split('\t');
        if (kind === 'path')
            path = fields[0] ?? '';
        else if (kind === 'mod' || kind === 'dep') {
            last = { path: fields[0] ?? '', version: fields[1] ?? '' };
            if (kind === 'mod')
                main = last;
            else
                deps.push(last);
        }
        else if (kind === '=>' && last)
            last.replace = { path: fields[0] ?? '', version: fields[1] ?? '' };
        else if (kind === 'build' && fields.length > 0) {
            sawBuild = true;
            const [key, value] = splitSetting(fields.join('\t'));
            settings[key] = value;
        }
    }
    const info = { goVersion, path, deps, settings, uses };
    if (main !== undefined) {
        info.module = main.path;
        info.moduleVersion = main.version;
    }
    if (settings.CGO_ENABLED !== undefined)
        info.cgo = settings.CGO_ENABLED === '1';
    // Go only records -trimpath when it was set, so its absence means false once any setting exists.
    if (sawBuild)
        info.trimpath = settings['-trimpath'] === 'true';
    if (settings['vcs.revision'] !== undefined)
        info.vcsRevision = settings['vcs.revision'];
    return info;
}
/** Splits `key=value`; the go command quotes keys or values holding spaces, quotes or '='. */
function splitSetting(text) {
    let key;
    let rest;
    if (text.startsWith('"')) {
        const end = closingQuote(text, 0);
        key = unquoteGo(text.slice(0, end + 1));
        rest = text.slice(end + 1);
    }
    else {
        const eq = text.indexOf('=');
        key = eq === -1 ? text : text.slice(0, eq);
        rest = eq === -1 ? '' : text.slice(eq);
    }
    const value = rest.startsWith('=') ? rest.slice(1) : rest;
    return [key, value.startsWith('"') ? unquoteGo(value) : value];
}
/** Index of the quote closing the one at `open`, skipping backslash escapes; the last index when unclosed. */
function closingQuote(text, open) {
    for (let i = open + 1; i < text.length; i++) {
        if (text[i] === '\\')
            i++;
        else if (text[i] === '"')
            return i;
    }
    return text.length - 1;
}
const SIMPLE_ESCAPES = {
    a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'"
};
/** Undoes Go's strconv.Quote; malformed input is returned as it was. */
function unquoteGo(quoted) {
    if (quoted.length < 2 || !quoted.startsWith('"') || !quoted.endsWith('"'))
        return quoted;
    const body = quoted.slice(1, -1);
    return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (whole, esc) => {
        const simple = SIMPLE_ESCAPES[esc];
        if (simple !== undefined)
            return simple;
        if (/^[xuU]/.test(esc))
            return String.fromCodePoint(parseInt(esc.slice(1), 16));
        if (/^[0-7]{3}$/.test(esc))
            return String.fromCodePoint(parseInt(esc, 8));
        return whole;
    });
}
function startsWith(bytes, prefix, at) {
    if (at + prefix.length > bytes.length)
        return false;
    for (let i = 0; i < prefix.length; i++)
        if (bytes[at + i] !== prefix[i])
            return false;
    return true;
}
/** A Buffer view (no copy) so native indexOf/toString can run over any Uint8Array. */
function asBuffer(bytes) {
    return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
/** runtime.buildVersion candidates keep this many bytes; real versions are far shorter. */
const VERSION_CANDIDATE_BYTES = 40;
/** Go ≥ 1.21 binaries hold a few hundred "go1.N" GODEBUG strings; only the pointer format needs them. */
const MAX_VERSION_CANDIDATES = 512;
const MODINFO_CANDIDATE_BYTES = 256 * 1024;
const MAX_MODINFO_CANDIDATES = 4;
/** Inline modinfo lists every dependency; even very large programs stay far below this. */
const MAX_INLINE_BYTES = 4 * 1024 * 1024;
/**
 * Reads Go build info while an ELF streams by. Inline format (Go ≥ 1.18): everything is at the start of
 * the first writable segment. Pointer format (Go 1.13–1.17): the header points at string headers in the
 * data segment (kept when reached) whose bytes sit in rodata, which streamed earlier; so while scanning a
 * Go binary we keep every "go1." and modinfo-sentinel hit, and pick the one at the resolved offset.
 */
class GoBuildInfoReader {
    source;
    fileOffsetOf;
    dataWindowBytes = BUILDINFO_SEARCH_BYTES;
    uses = { tls: false, tzdata: false, embeddedTzdata: false, user: false };
    headerAt = -1;
    header = null;
    inlineBytes = 0;
    stringRefs = {};
    versionCandidates = [];
    modinfoCandidates = [];
    constructor(source, fileOffsetOf) {
        this.source = source;
        this.fileOffsetOf = fileOffsetOf;
    }
    /** What to look for in every byte of a binary known to be Go (by its build ID note). */
    needles(from) {
        const go1 = Buffer.from('go1.', 'latin1');
        return [
            ...this.useNeedles(from),
            this.candidateNeedle(go1, from, this.versionCandidates, MAX_VERSION_CANDIDATES, VERSION_CANDIDATE_BYTES),
            this.candidateNeedle(MODINFO_START, from, this.modinfoCandidates, MAX_MODINFO_CANDIDATES, MODINFO_CANDIDATE_BYTES)
        ];
    }
    useNeedles(from) {
        const groups = new Map();
        for (const { use, text } of USE_PATTERNS) {
            const group = groups.get(use) ?? [];
            groups.set(use, group);
            const settle = () => {
                this.uses[use] = true;
                // One hit settles the use: stop searching for all of its names.
                for (const needle of group)
                    needle.active = false;
            };
            group.push({ bytes: Buffer.from(text, 'latin1'), from, active: true, onHit: settle });
        }
        return [...groups.values()].flat();
    }
    candidateNeedle(bytes, from, offsets, max, keepBytes) {
        const needle = {
            bytes,
            from,
            active: true,
            onHit: (offset) => {
                if (this.source.keep(offset, offset + keepBytes))
                    offsets.push(offset);
                needle.active = offsets.length < max;
            }
        };
        return needle;
    }
    /** Called with the first bytes of the first writable PT_LOAD, where `.go.buildinfo` starts. */
    onDataWindow(windowOffset, window) {
        const at = findBuildInfoHeader(window, windowOffset);
        const header = at === -1 ? null : readBuildInfoHeader(window.subarray(at));
        if (!header)
            return;
        this.headerAt = windowOffset + at;
        this.header = header;
        if (header.format === 'inline')
            this.keepInline(window.subarray(at), windowOffset + window.length);
        else
            this.keepStringHeaders(header);
    }
    /** Inline strings longer than the window continue in bytes that have not streamed yet: keep them. */
    keepInline(fromHeader, windowEnd) {
        this.inlineBytes = Math.min(inlineExtent(fromHeader) ?? BUILDINFO_HEADER_BYTES, MAX_INLINE_BYTES);
        const end = this.headerAt + this.inlineBytes;
        if (end > windowEnd)
            this.source.keep(windowEnd, end);
    }
    keepStringHeaders(header) {
        const span = 2 * header.ptrSize;
        for (const key of ['version', 'modinfo']) {
            const offset = this.fileOffsetOf(key === 'version' ? header.versionAddr : header.modinfoAddr, span);
            if (offset !== null && (this.source.read(offset, span) || this.source.keep(offset, offset + span))) {
                this.stringRefs[key] = offset;
            }
        }
    }
    /** GoInfo from what was kept; undefined when the binary has no readable build info. */
    result() {
        const header = this.header;
        if (!header)
            return undefined;
        const parts = header.format === 'inline' ? this.inlineParts() : this.pointerParts(header);
        return parts ? goInfo(parts.version, modinfoText(parts.modinfo), { ...this.uses }) : undefined;
    }
    inlineParts() {
        const bytes = this.source.read(this.headerAt, this.inlineBytes);
        return bytes ? parseInline(bytes) : null;
    }
    pointerParts(header) {
        const versionBytes = this.resolveString(this.stringRefs.version, header);
        const version = versionBytes ? asBuffer(versionBytes).toString('utf8') : this.guessVersion();
        if (!version)
            return null;
        const modinfo = this.resolveString(this.stringRefs.modinfo, header) ?? this.guessModinfo() ?? new Uint8Array(0);
        return { version, modinfo };
    }
    /** Follows a kept string header to its bytes in rodata, if those bytes were kept as a candidate. */
    resolveString(ref, header) {
        const bytes = ref === undefined ? undefined : this.source.read(ref, 2 * header.ptrSize);
        if (!bytes)
            return undefined;
        const { addr, len } = readStringHeader(bytes, header.ptrSize, header.bigEndian);
        const offset = len > 0 ? this.fileOffsetOf(addr, len) : null;
        return offset === null ? undefined : this.source.read(offset, len);
    }
    guessVersion() {
        for (const offset of this.versionCandidates) {
            const bytes = this.source.read(offset, Math.min(VERSION_CANDIDATE_BYTES, this.source.size - offset));
            const version = bytes ? versionFromCandidate(bytes) : null;
            if (version)
                return version;
        }
        return null;
    }
    guessModinfo() {
        for (const offset of this.modinfoCandidates) {
            const bytes = this.source.read(offset, Math.min(MODINFO_CANDIDATE_BYTES, this.source.size - offset));
            const blob = bytes ? modinfoFromCandidate(bytes) : null;
            if (blob && modinfoText(blob).startsWith('path\t'))
                return blob;
        }
        return null;
    }
}

;// CONCATENATED MODULE: ./src/gopclntab.ts

/** 1.18/1.19 and 1.20+ share one layout (1.20 renamed compiler symbols from `type.` to `type:`). */
const MAGICS = [0xfffffff0, 0xfffffff1];
/** magic, two pad bytes, minLC, ptrSize, then eight pointer-sized fields. */
const HEADER_FIELDS = 8;
/** A name longer than this only needs its prefix: the package comes before the first '[' or '.'. */
const NAME_PREFIX_BYTES = 4096;
/** Each function costs 8 table bytes; far beyond any real program (Kubernetes has ~100k functions). */
const MAX_FUNCTIONS = 2_000_000;
function pclnHeaderBytes(ptrSize) {
    return 8 + HEADER_FIELDS * ptrSize;
}
/** The pclntab magic bytes as they appear in a file of either byte order. */
function pclnMagicNeedles(little) {
    return MAGICS.map((magic) => {
        const bytes = Buffer.alloc(6);
        if (little)
            bytes.writeUInt32LE(magic, 0);
        else
            bytes.writeUInt32BE(magic, 0);
        return bytes;
    });
}
/** Parses and sanity-checks a header at file offset `offset`; null for a chance match of the magic. */
function parsePclnHeader(bytes, offset, fileSize) {
    if (bytes.length < 8 || bytes[4] !== 0 || bytes[5] !== 0)
        return null;
    const ptrSize = bytes[7];
    const minLC = bytes[6] ?? 0;
    if ((ptrSize !== 4 && ptrSize !== 8) || ![1, 2, 4].includes(minLC) || bytes.length < pclnHeaderBytes(ptrSize))
        return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const little = MAGICS.some((m) => view.getUint32(0, true) === m);
    const field = (i) => word(view, 8 + i * ptrSize, ptrSize, little);
    const header = {
        offset, little, ptrSize, nfunc: field(0), textStart: field(2), funcnameOffset: field(3), cuOffset: field(4), pclnOffset: field(7)
    };
    const ordered = pclnHeaderBytes(ptrSize) <= header.funcnameOffset && header.funcnameOffset <= header.cuOffset &&
        header.cuOffset <= field(5) && field(5) <= field(6) && field(6) <= header.pclnOffset;
    const fits = offset + header.pclnOffset + (header.nfunc + 1) * 8 <= fileSize;
    return ordered && fits && header.nfunc > 0 && header.nfunc <= MAX_FUNCTIONS ? header : null;
}
function word(view, at, size, little) {
    if (size === 4)
        return view.getUint32(at, little);
    const low = view.getUint32(little ? at : at + 4, little);
    const high = view.getUint32(little ? at + 4 : at, little);
    return high * 2 ** 32 + low;
}
const ELEMENT_PREFIX = /^(?:\*|\[\d*\])+/;
const ANONYMOUS_TYPE = /^(?:struct|interface|func|map|chan)\b/;
/**
 * The package a Go symbol belongs to: the import path up to the first '.' after the last '/', ignoring
 * generic type arguments; compiler-generated `type:.eq.T` helpers belong to T's package. '' when none.
 */
function packageOf(symbol) {
    const first = symbol.charCodeAt(0);
    // Most names start with a lowercase import path element that is neither `type` nor `go`: skip the prefix checks.
    const plain = first !== 0x74 && first !== 0x67 && first !== 0x2a && first !== 0x5b && !symbol.includes('[');
    return plain ? pathPrefix(symbol) : compilerSymbolPackage(symbol);
}
function compilerSymbolPackage(symbol) {
    let name = symbol;
    for (const prefix of ['type:.eq.', 'type..eq.', 'type:.hash.', 'type..hash.']) {
        if (name.startsWith(prefix))
            name = name.slice(prefix.length);
    }
    if (name.startsWith('go:') || name.startsWith('go.') || name.startsWith('type:') || name.startsWith('type.'))
        return '';
    // An equality helper of `[5]pkg.T` or `*pkg.T` belongs to pkg; of an anonymous struct, to no package.
    name = name.replace(ELEMENT_PREFIX, '');
    if (ANONYMOUS_TYPE.test(name))
        return '';
    const bracket = name.indexOf('[');
    return pathPrefix(bracket === -1 ? name : name.slice(0, bracket));
}
/** The import path that prefixes `name`: up to the first '.' after the last '/'. */
function pathPrefix(name) {
    const slash = name.lastIndexOf('/');
    const dot = name.indexOf('.', slash + 1);
    if (dot === -1)
        return '';
    // The linker escapes '.', '%' and '"' in import paths (`gopkg.in/yaml%2ev3`) so the first dot ends them.
    const pkg = name.slice(0, dot);
    return pkg.includes('%') ? pkg.replace(/%([0-9a-fA-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))) : pkg;
}
/** A growable Uint32Array: the per-function tables stay typed, 4 bytes an entry. */
class U32List {
    data = new Uint32Array(1024);
    length = 0;
    push(value) {
        if (this.length === this.data.length) {
            const bigger = new Uint32Array(this.data.length * 2);
            bigger.set(this.data);
            this.data = bigger;
        }
        this.data[this.length++] = value;
    }
    at(index) {
        return this.data[index] ?? 0;
    }
    /** Index of `value` in an ascending list, or -1. */
    find(value) {
        let [low, high] = [0, this.length - 1];
        while (low <= high) {
            const mid = (low + high) >>> 1;
            const here = this.data[mid] ?? 0;
            if (here === value)
                return mid;
            if (here < value)
                low = mid + 1;
            else
                high = mid - 1;
        }
        return -1;
    }
}
/** Consumes funcnametab as it streams: for each NUL-terminated name, its offset and interned package. */
class PackageNames {
    tableOffset;
    starts = new U32List();
    packageIds = new U32List();
    packages = [];
    ids = new Map();
    /** The start of a name cut by a chunk seam, copied because chunks are reused buffers. */
    partial = [];
    partialLength = 0;
    nameStart = 0;
    constructor(tableOffset) {
        this.tableOffset = tableOffset;
    }
    feed(piece, fileOffset) {
        const bytes = asBuffer(piece);
        const base = fileOffset - this.tableOffset;
        for (let at = 0; at < bytes.length;) {
            const nul = bytes.indexOf(0, at);
            if (nul === -1) {
                this.hold(bytes.subarray(at));
                return;
            }
            this.record(bytes, at, nul);
            this.nameStart = base + nul + 1;
            at = nul + 1;
        }
    }
    /** The package of the name starting at `offset` in the table; undefined when no name starts there. */
    packageAt(offset) {
        const id = this.packageIdAt(offset);
        return id === -1 ? undefined : this.packages[id];
    }
    /** Index into `packages` of the name starting at `offset`; -1 when no name starts there. */
    packageIdAt(offset) {
        const index = this.starts.find(offset);
        return index === -1 ? -1 : this.packageIds.at(index);
    }
    hold(bytes) {
        if (this.partialLength >= NAME_PREFIX_BYTES)
            return;
        this.partial.push(Buffer.from(bytes.subarray(0, NAME_PREFIX_BYTES - this.partialLength)));
        this.partialLength += bytes.length;
    }
    /** Interns the package of the name ending at bytes[end] (its start is bytes[start] or held in `partial`). */
    record(bytes, start, end) {
        const name = this.partial.length === 0
            ? bytes.toString('utf8', start, Math.min(end, start + NAME_PREFIX_BYTES))
            : Buffer.concat([...this.partial, bytes.subarray(start, end)]).toString('utf8', 0, NAME_PREFIX_BYTES);
        const pkg = packageOf(name);
        let id = this.ids.get(pkg);
        if (id === undefined) {
            id = this.packages.push(pkg) - 1;
            this.ids.set(pkg, id);
        }
        this.starts.push(this.nameStart);
        this.packageIds.push(id);
        this.partial = [];
        this.partialLength = 0;
    }
}
/** Reads one little- or big-endian u32 at each of a list of ascending file offsets, across chunk seams. */
class FieldTap {
    offsets;
    little;
    values;
    next = 0;
    value = 0;
    got = 0;
    constructor(offsets, little) {
        this.offsets = offsets;
        this.little = little;
        this.values = new Uint32Array(offsets.length);
    }
    feed(piece, fileOffset) {
        const end = fileOffset + piece.length;
        const view = new DataView(piece.buffer, piece.byteOffset, piece.byteLength);
        while (this.next < this.offsets.length) {
            const at = (this.offsets[this.next] ?? 0) + this.got;
            if (at >= end)
                return;
            // Whole fields are read at once; only one cut by a seam goes byte by byte.
            if (this.got === 0 && at >= fileOffset && at + 4 <= end)
                this.values[this.next++] = view.getUint32(at - fileOffset, this.little);
            else if (at >= fileOffset)
                this.take(piece[at - fileOffset] ?? 0);
            else
                this.skip();
        }
    }
    take(byte) {
        this.value += this.little ? byte * 2 ** (8 * this.got) : byte * 2 ** (8 * (3 - this.got));
        if (++this.got < 4)
            return;
        this.values[this.next++] = this.value;
        this.value = 0;
        this.got = 0;
    }
    /** A field that began before this tap saw any bytes is left 0. */
    skip() {
        this.next++;
        this.value = 0;
        this.got = 0;
    }
}
/** Functions start at multiples of this on every architecture Go supports (32 on amd64, 16 elsewhere). */
const FUNCTION_ALIGN = 16;
/** Padding is at most one alignment step less a byte; amd64's 32-byte alignment needs 31. */
const MAX_PADDING = 31;
/**
 * Measures, at each FUNCTION_ALIGN boundary of the text as it streams, how many fill bytes (int3 on x86,
 * zeros elsewhere) precede it: the padding the linker put between functions, which is not their code.
 */
class TextPadding {
    offset;
    vaddr;
    fill;
    runs;
    /** File offset where a run of fill bytes that reached the end of the last piece began; -1 when none. */
    open = -1;
    end;
    constructor(offset, vaddr, size, fill) {
        this.offset = offset;
        this.vaddr = vaddr;
        this.fill = fill;
        this.runs = new Uint8Array(Math.ceil(size / FUNCTION_ALIGN) + 1);
        this.end = offset + size;
    }
    /** Jumps from fill byte to fill byte with native indexOf: code holds few of them, padding most. */
    feed(piece, fileOffset) {
        const bytes = asBuffer(piece);
        let at = 0;
        if (this.open !== -1) {
            while (at < bytes.length && bytes[at] === this.fill)
                at++;
            if (at === bytes.length && fileOffset + at < this.end)
                return;
            this.close(this.open, fileOffset + at);
        }
        this.open = -1;
        for (let hit = bytes.indexOf(this.fill, at); hit !== -1; hit = bytes.indexOf(this.fill, at)) {
            at = hit + 1;
            while (at < bytes.length && bytes[at] === this.fill)
                at++;
            // A run reaching the end of this piece may go on in the next, unless the text ends here (a last marker function may be int3).
            if (at === bytes.length && fileOffset + at < this.end) {
                this.open = fileOffset + hit;
                return;
            }
            this.close(fileOffset + hit, fileOffset + at);
        }
    }
    /** For each aligned boundary a run [start, end) of fill bytes reaches, the fill before it (a function may start with int3). */
    close(start, end) {
        const first = Math.floor((start - this.offset) / FUNCTION_ALIGN + 1) * FUNCTION_ALIGN;
        for (let rel = first; rel <= end - this.offset; rel += FUNCTION_ALIGN) {
            this.runs[rel / FUNCTION_ALIGN] = Math.min(rel - (start - this.offset), MAX_PADDING);
        }
    }
    /** Fill bytes just before virtual address `vaddr`, when it is an aligned boundary of the text. */
    before(vaddr) {
        const rel = vaddr - this.vaddr;
        return rel % FUNCTION_ALIGN === 0 ? (this.runs[rel / FUNCTION_ALIGN] ?? 0) : 0;
    }
}
/**
 * Finds the pclntab by its magic (section headers of externally linked binaries come too late to help),
 * then keeps the function table and taps the name table and each _func's nameOff as they stream by.
 */
class PclntabReader {
    source;
    header = null;
    names = null;
    nameOffsets = null;
    order = null;
    magics = [];
    constructor(source) {
        this.source = source;
    }
    needles(from, little) {
        for (const bytes of pclnMagicNeedles(little)) {
            this.magics.push({ bytes, from, active: true, onHit: (offset) => this.onMagic(offset) });
        }
        return this.magics;
    }
    onMagic(offset) {
        if (this.header)
            return;
        this.source.keep(offset, offset + pclnHeaderBytes(8), () => this.onHeader(offset));
    }
    onHeader(offset) {
        const bytes = this.source.read(offset, Math.min(pclnHeaderBytes(8), this.source.size - offset));
        const header = bytes && !this.header ? parsePclnHeader(bytes, offset, this.source.size) : null;
        if (!header)
            return;
        this.header = header;
        for (const needle of this.magics)
            needle.active = false;
        const names = new PackageNames(offset + header.funcnameOffset);
        if (!this.source.tap(offset + header.funcnameOffset, offset + header.cuOffset, (p, at) => names.feed(p, at)))
            return;
        this.names = names;
        const table = offset + header.pclnOffset;
        this.source.keep(table, table + (header.nfunc + 1) * 8, () => this.onFunctionTable(header));
    }
    /** The table holds (entryoff, funcoff) pairs; each funcoff locates a _func whose second u32 is nameOff. */
    onFunctionTable(header) {
        const table = header.offset + header.pclnOffset;
        const bytes = this.source.read(table, header.nfunc * 8);
        if (!bytes)
            return;
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const funcoffs = new Float64Array(header.nfunc);
        for (let i = 0; i < header.nfunc; i++)
            funcoffs[i] = table + view.getUint32(i * 8 + 4, header.little) + 4;
        const order = Uint32Array.from({ length: header.nfunc }, (_, i) => i);
        // The linker writes _func records in table order; sort only if some file did not.
        if (funcoffs.some((value, i) => i > 0 && value < (funcoffs[i - 1] ?? 0)))
            order.sort((a, b) => (funcoffs[a] ?? 0) - (funcoffs[b] ?? 0));
        const sorted = Float64Array.from(order, (i) => funcoffs[i] ?? 0);
        const tap = new FieldTap(sorted, header.little);
        const [first, last] = [sorted[0] ?? 0, sorted[sorted.length - 1] ?? 0];
        if (this.source.tap(first, last + 4, (p, at) => tap.feed(p, at))) {
            this.nameOffsets = tap;
            this.order = order;
        }
    }
    /** Code bytes per package; undefined when the pclntab was not found or not fully seen. */
    result(padding) {
        const { header, names, nameOffsets, order } = this;
        const table = header ? this.source.read(header.offset + header.pclnOffset, (header.nfunc + 1) * 8) : undefined;
        if (!header || !names || !nameOffsets || !order || !table)
            return undefined;
        const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
        const entry = (i) => view.getUint32(i * 8, header.little);
        const nameOff = new Uint32Array(header.nfunc);
        order.forEach((fn, k) => (nameOff[fn] = nameOffsets.values[k] ?? 0));
        // Sums per interned package id (one extra slot for names not found), then one Map at the end.
        const sums = new Float64Array(names.packages.length + 1);
        let fill = 0;
        for (let i = 0; i < header.nfunc; i++) {
            const id = names.packageIdAt(nameOff[i] ?? 0);
            const extent = Math.max(0, entry(i + 1) - entry(i));
            // The table's last entry is the exact end of the last function: nothing pads it.
            const pad = i + 1 < header.nfunc ? Math.min(extent, padding?.before(header.textStart + entry(i + 1)) ?? 0) : 0;
            fill += pad;
            const slot = id === -1 ? names.packages.length : id;
            sums[slot] = (sums[slot] ?? 0) + extent - pad;
        }
        const packages = new Map();
        sums.forEach((bytes, id) => {
            const pkg = names.packages[id] ?? '';
            if (bytes > 0)
                packages.set(pkg, (packages.get(pkg) ?? 0) + bytes);
        });
        const start = header.textStart + entry(0);
        const end = header.textStart + entry(header.nfunc);
        return { textStart: header.textStart, start, end, functions: header.nfunc, packages, padding: fill };
    }
}

;// CONCATENATED MODULE: ./src/elf.ts
/**
 * Streaming ELF facts: an ElfScanner sees a file's bytes once, in order, in chunks of any size, and
 * keeps only the byte ranges it needs (headers, dynamic table, section table, Go build info), so a
 * 100 MB binary costs a few MB of memory at most.
 */



const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const ELF_SNIFF_BYTES = ELF_MAGIC.length;
/** True when `head` starts with the ELF magic `\x7fELF`. */
function looksLikeElf(head) {
    return head.length >= ELF_SNIFF_BYTES && ELF_MAGIC.every((byte, i) => head[i] === byte);
}
/** The last few KiB of the stream, so a needle hit can also keep bytes just before it. */
class ByteHistory {
    begin;
    ring;
    end;
    constructor(size, begin) {
        this.begin = begin;
        // Bytes are only read back after being written (see pieceAt), so the ring needs no zeroing.
        this.ring = Buffer.allocUnsafe(size);
        this.end = begin;
    }
    append(chunk) {
        const size = this.ring.length;
        const tail = chunk.length > size ? chunk.subarray(chunk.length - size) : chunk;
        const at = (this.end + chunk.length - tail.length) % size;
        const first = Math.min(tail.length, size - at);
        this.ring.set(tail.subarray(0, first), at);
        this.ring.set(tail.subarray(first), 0);
        this.end += chunk.length;
    }
    /** The held bytes from `offset` up to the ring's wrap point or the end of the stream so far. */
    pieceAt(offset) {
        const size = this.ring.length;
        if (offset < Math.max(this.begin, this.end - size) || offset >= this.end)
            return undefined;
        const at = offset % size;
        return this.ring.subarray(at, Math.min(size, at + this.end - offset));
    }
}
/**
 * Keeps chosen byte ranges of a stream. A range is filled from bytes already held (earlier captures or
 * the history ring), from the chunk being pushed, then from later chunks; its callback runs when complete.
 */
class RangeRecorder {
    size;
    budget;
    active = [];
    taps = [];
    done = [];
    pending = [];
    history;
    chunk = new Uint8Array(0);
    chunkStart = 0;
    limit;
    constructor(size, budget) {
        this.size = size;
        this.budget = budget;
        this.limit = budget;
    }
    /** Starts holding the last `bytes` of the stream (needed for windows around needle hits). */
    keepHistory(bytes) {
        if (this.history || bytes > this.budget)
            return;
        this.budget -= bytes;
        this.history = new ByteHistory(bytes, this.chunkStart);
    }
    keep(start, end, onDone) {
        const from = Math.max(0, start);
        const to = Math.min(end, this.size);
        if (!(to > from) || to - from > this.budget)
            return false;
        const capture = { start: from, end: to, bytes: Buffer.allocUnsafe(to - from), filled: 0, onDone };
        if (!this.backfill(capture))
            return false;
        this.budget -= to - from;
        this.active.push(capture);
        this.fill(capture);
        return true;
    }
    /** Feeds one chunk to every open capture; callbacks run before returning. */
    begin(chunk, chunkStart) {
        this.chunk = chunk;
        this.chunkStart = chunkStart;
        for (const capture of this.active)
            this.fill(capture);
        for (const tap of this.taps)
            this.feedTap(tap);
        this.settle();
    }
    tap(start, end, sink) {
        const from = Math.max(0, start);
        const to = Math.min(end, this.size);
        if (from < this.chunkStart)
            return false;
        const tap = { end: to, next: from, sink };
        this.taps.push(tap);
        this.feedTap(tap);
        return true;
    }
    feedTap(tap) {
        const chunkEnd = this.chunkStart + this.chunk.length;
        const to = Math.min(tap.end, chunkEnd);
        if (to > tap.next && tap.next >= this.chunkStart) {
            tap.sink(this.chunk.subarray(tap.next - this.chunkStart, to - this.chunkStart), tap.next);
            tap.next = to;
        }
        if (tap.next >= tap.end)
            this.taps = this.taps.filter((t) => t !== tap);
    }
    /** Ends the current chunk: later keep() calls can only backfill from held bytes. */
    end() {
        this.settle();
        this.history?.append(this.chunk);
        this.chunkStart += this.chunk.length;
        this.chunk = new Uint8Array(0);
    }
    /** File offset of the chunk being pushed: taps can start there or later. */
    get streamed() {
        return this.chunkStart;
    }
    /** True while some capture still waits for bytes (otherwise pushing can skip the recorder). */
    get waiting() {
        return this.active.length > 0 || this.taps.length > 0 || this.history !== undefined;
    }
    read(offset, length) {
        // Nothing longer than the budget can be held, so a corrupt length never allocates gigabytes.
        if (offset < 0 || length > this.limit || offset + length > this.size)
            return undefined;
        const first = this.pieceAt(offset);
        if (!first || length <= 0)
            return length === 0 ? new Uint8Array(0) : undefined;
        if (first.length >= length)
            return first.subarray(0, length);
        const out = Buffer.allocUnsafe(length);
        return this.copyHeld(out, offset, length) ? out : undefined;
    }
    /** The NUL-terminated string held at `offset` (at most `max` bytes), or undefined when not held. */
    cStringAt(offset, max) {
        const parts = [];
        for (let at = offset, piece = this.pieceAt(at); piece && at - offset < max; piece = this.pieceAt(at)) {
            const end = asBuffer(piece).indexOf(0);
            parts.push(end === -1 ? piece : piece.subarray(0, end));
            if (end !== -1)
                return Buffer.concat(parts).toString('utf8');
            at += piece.length;
        }
        return undefined;
    }
    /** True when a capture (complete or still filling) already spans [start, end) clipped to the file. */
    plans(start, end) {
        const from = Math.max(0, start);
        const to = Math.min(end, this.size);
        return [this.done, this.active].some((list) => list.some((c) => c.start <= from && to <= c.end));
    }
    /** Copies held bytes [offset, offset + length) into `out`, stitching across captures. */
    copyHeld(out, offset, length) {
        let copied = 0;
        while (copied < length) {
            const piece = this.pieceAt(offset + copied);
            if (!piece)
                return false;
            const take = Math.min(piece.length, length - copied);
            out.set(piece.subarray(0, take), copied);
            copied += take;
        }
        return true;
    }
    pieceAt(offset) {
        for (const list of [this.done, this.active]) {
            for (const c of list) {
                if (offset >= c.start && offset < c.start + c.filled)
                    return c.bytes.subarray(offset - c.start, c.filled);
            }
        }
        return this.history?.pieceAt(offset);
    }
    /** Copies the part of a new capture that streamed before the current chunk; false when it was not held. */
    backfill(capture) {
        const pastEnd = Math.min(capture.end, this.chunkStart);
        if (capture.start >= pastEnd)
            return true;
        if (!this.copyHeld(capture.bytes, capture.start, pastEnd - capture.start))
            return false;
        capture.filled = pastEnd - capture.start;
        return true;
    }
    fill(capture) {
        const from = capture.start + capture.filled;
        const to = Math.min(capture.end, this.chunkStart + this.chunk.length);
        if (to > from && from >= this.chunkStart) {
            capture.bytes.set(this.chunk.subarray(from - this.chunkStart, to - this.chunkStart), capture.filled);
            capture.filled += to - from;
        }
        if (capture.start + capture.filled < capture.end)
            return;
        this.active = this.active.filter((c) => c !== capture);
        this.done.push(capture);
        if (capture.onDone)
            this.pending.push(capture.onDone);
    }
    settle() {
        for (let next = this.pending.shift(); next; next = this.pending.shift())
            next();
    }
}
/**
 * Finds needles in consecutive chunks with native Buffer.indexOf; a match straddling two chunks is found in
 * a small seam made of the last (longest needle - 1) bytes seen and the start of the new chunk.
 */
class NeedleSearch {
    needles = [];
    tail = Buffer.alloc(0);
    overlap = 0;
    add(needles) {
        this.needles.push(...needles);
        this.overlap = Math.max(this.overlap, ...needles.map((n) => n.bytes.length - 1));
    }
    feed(chunk, chunkStart) {
        if (!this.needles.some((needle) => needle.active)) {
            this.tail = lastBytes(this.tail, chunk, this.overlap);
            return;
        }
        const seam = Buffer.concat([this.tail, chunk.subarray(0, this.overlap)]);
        const chunkEnd = chunkStart + chunk.length;
        for (const needle of this.needles) {
            if (!needle.active || chunkEnd <= needle.from)
                continue;
            this.searchSeam(needle, seam, chunkStart);
            const first = Math.max(0, needle.from - chunkStart);
            for (let at = chunk.indexOf(needle.bytes, first); at !== -1 && needle.active; at = chunk.indexOf(needle.bytes, at + 1)) {
                needle.onHit(chunkStart + at);
            }
        }
        this.tail = lastBytes(this.tail, chunk, this.overlap);
    }
    /** Only matches that begin in the tail and end in the chunk: the others are found on one side. */
    searchSeam(needle, seam, chunkStart) {
        const tailLength = this.tail.length;
        const seamStart = chunkStart - tailLength;
        let at = seam.indexOf(needle.bytes, Math.max(0, tailLength - needle.bytes.length + 1, needle.from - seamStart));
        for (; at !== -1 && at < tailLength && needle.active; at = seam.indexOf(needle.bytes, at + 1)) {
            needle.onHit(seamStart + at);
        }
    }
}
/** A copy of the last `count` bytes of `before` followed by `chunk`. */
function lastBytes(before, chunk, count) {
    if (chunk.length >= count)
        return Buffer.from(chunk.subarray(chunk.length - count));
    const joined = Buffer.concat([before, chunk]);
    return Buffer.from(joined.subarray(Math.max(0, joined.length - count)));
}
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const PT_NOTE = 4;
const PF_X = 1;
const PF_W = 2;
const elf_SHT_NOBITS = 8;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_STRSZ = 10;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
const GO_NOTE_TYPE = 4;
/** Go's linker pads x86 text with int3 and other architectures' with zeros. */
const X86_MACHINES = [3, 62];
const INT3 = 0xcc;
const elf_TYPES = { 1: 'rel', 2: 'exec', 3: 'dyn', 4: 'core' };
const MACHINES = {
    2: 'sparc', 3: 'x86', 8: 'mips', 20: 'ppc', 21: 'ppc64', 22: 's390x', 40: 'arm', 43: 'sparcv9',
    62: 'x86-64', 183: 'aarch64', 243: 'riscv', 258: 'loongarch'
};
/** Endian- and class-aware field reads; 64-bit fields above 2^53 lose precision, which only garbage has. */
class Fields {
    little;
    is64;
    view;
    constructor(bytes, little, is64) {
        this.little = little;
        this.is64 = is64;
        this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    u16(at) {
        return this.view.getUint16(at, this.little);
    }
    u32(at) {
        return this.view.getUint32(at, this.little);
    }
    /** A class-sized word: 8 bytes in ELF64, 4 in ELF32. */
    word(at) {
        if (!this.is64)
            return this.u32(at);
        const low = this.u32(this.little ? at : at + 4);
        const high = this.u32(this.little ? at + 4 : at);
        return high * 2 ** 32 + low;
    }
    /** Field offsets differ between ELF64 and ELF32; picks the one for this file's class. */
    at(offset64, offset32) {
        return this.is64 ? offset64 : offset32;
    }
}
function parseElfHeader(bytes) {
    const cls = bytes[4];
    const data = bytes[5];
    if (!looksLikeElf(bytes) || (cls !== 1 && cls !== 2) || (data !== 1 && data !== 2))
        return null;
    const is64 = cls === 2;
    if (bytes.length < (is64 ? 64 : 52))
        return null;
    const f = new Fields(bytes, data === 1, is64);
    const header = {
        is64,
        little: data === 1,
        type: f.u16(16),
        machine: f.u16(18),
        phoff: f.word(f.at(32, 28)),
        shoff: f.word(f.at(40, 32)),
        phentsize: f.u16(f.at(54, 42)),
        phnum: f.u16(f.at(56, 44)),
        shentsize: f.u16(f.at(58, 46)),
        shnum: f.u16(f.at(60, 48)),
        shstrndx: f.u16(f.at(62, 50))
    };
    // Entries smaller than the spec's would make every later field read garbage.
    if (header.phnum > 0 && header.phentsize < (is64 ? 56 : 32))
        return null;
    return header;
}
function parseSegments(table, h) {
    const f = new Fields(table, h.little, h.is64);
    const segments = [];
    for (let i = 0; i < h.phnum; i++) {
        const at = i * h.phentsize;
        segments.push({
            type: f.u32(at),
            flags: f.u32(at + f.at(4, 24)),
            offset: f.word(at + f.at(8, 4)),
            vaddr: f.word(at + f.at(16, 8)),
            filesz: f.word(at + f.at(32, 16)),
            align: f.word(at + f.at(48, 28))
        });
    }
    return segments;
}
/** Section entries smaller than the spec's would be read past the table's end. */
function sectionEntriesFit(h) {
    return h.shentsize >= (h.is64 ? 64 : 40);
}
function parseSections(table, h) {
    const f = new Fields(table, h.little, h.is64);
    const sections = [];
    for (let i = 0; i < h.shnum; i++) {
        const at = i * h.shentsize;
        sections.push({
            name: f.u32(at),
            type: f.u32(at + 4),
            flags: f.word(at + 8),
            offset: f.word(at + f.at(24, 16)),
            size: f.word(at + f.at(32, 20))
        });
    }
    return sections;
}
function parseDynamic(bytes, h) {
    const f = new Fields(bytes, h.little, h.is64);
    const entry = h.is64 ? 16 : 8;
    const table = { needed: [], rpath: [], runpath: [] };
    for (let at = 0; at + entry <= bytes.length; at += entry) {
        const tag = f.word(at);
        const value = f.word(at + entry / 2);
        if (tag === 0)
            break;
        if (tag === DT_NEEDED)
            table.needed.push(value);
        else if (tag === DT_RPATH)
            table.rpath.push(value);
        else if (tag === DT_RUNPATH)
            table.runpath.push(value);
        else if (tag === DT_STRTAB)
            table.strtab = value;
        else if (tag === DT_STRSZ)
            table.strsz = value;
    }
    return table;
}
/** True when a PT_NOTE holds Go's build ID note (name "Go", type 4), which every `go build` writes. */
function hasGoNote(bytes, h, align) {
    const f = new Fields(bytes, h.little, h.is64);
    const pad = (n) => Math.ceil(n / align) * align;
    for (let at = 0; at + 12 <= bytes.length;) {
        const nameSize = f.u32(at);
        const descSize = f.u32(at + 4);
        const isGo = nameSize === 3 || nameSize === 4 ? asBuffer(bytes).toString('latin1', at + 12, at + 14) === 'Go' : false;
        if (isGo && bytes[at + 14] === 0 && f.u32(at + 8) === GO_NOTE_TYPE)
            return true;
        at += 12 + pad(nameSize) + pad(descSize);
    }
    return false;
}
/** The NUL-terminated string at `at`, or '' when `at` is outside the table. */
function elf_cString(table, at) {
    if (at >= table.length)
        return '';
    const bytes = asBuffer(table);
    const end = bytes.indexOf(0, at);
    return bytes.toString('utf8', at, end === -1 ? bytes.length : end);
}
/**
 * Where Go's tables (pclntab, rodata strings, Go 1.19's .shstrtab) can start: they are never executable, so
 * when a read-only segment follows the last executable one, the text before it is skipped (half a Go binary).
 */
function tablesFrom(segments) {
    const loads = segments.filter((s) => s.type === PT_LOAD);
    const lastExec = loads.filter((s) => (s.flags & PF_X) !== 0).pop();
    if (!lastExec)
        return 0;
    const end = lastExec.offset + lastExec.filesz;
    const readOnlyAfter = loads.some((s) => (s.flags & (PF_X | PF_W)) === 0 && s.offset >= end && s.filesz > 0);
    return readOnlyAfter ? end : 0;
}
function isStrippable(name) {
    return name === '.symtab' || name === '.strtab' || name.startsWith('.debug_') || name.startsWith('.zdebug_');
}
// ---------------------------------------------------------------------------------------------
// The scanner
/** Headers, program headers, notes and .interp sit in the first pages; 64 KiB covers them generously. */
const HEAD_BYTES = 64 * 1024;
/** GNU ld puts .dynstr in the first read-only segment; keep that much of it for dynamic binaries. */
const DYNSTR_PREFIX_BYTES = 4 * 1024 * 1024;
/** GNU ld writes .shstrtab just before the section header table; keep this much before it. */
const SECTION_TAIL_BYTES = 1024 * 1024;
const NOTE_BYTES = 4096;
const MAX_NOTES = 8;
const INTERP_BYTES = 4096;
const DYNAMIC_BYTES = 64 * 1024;
const MAX_DYNAMIC_STRING = 4096;
/** Needle hits keep a window this wide on each side; string tables found this way are small (< 1 KiB). */
const WINDOW_RADIUS = 8 * 1024;
/** Library names in a big C++ .dynstr can be spread out; a few dozen windows still cost under 1 MiB. */
const MAX_WINDOWS = 32;
const HISTORY_BYTES = 2 * WINDOW_RADIUS;
/** Upper bound on bytes one scanner holds, whatever the input claims. */
const CAPTURE_BUDGET = 16 * 1024 * 1024;
/**
 * Learns ElfInfo from a file streamed once. Call push() with consecutive chunks, then finish().
 * Never throws on garbage: unreadable parts become null/empty facts, a non-ELF becomes null.
 */
class ElfScanner {
    recorder;
    search;
    position = 0;
    invalid = false;
    header;
    segments;
    dynamic;
    dynstrOffset;
    go;
    pclntab;
    padding;
    dynstrNeedles = [];
    constructor(fileSize) {
        const size = Number.isFinite(fileSize) && fileSize > 0 ? Math.floor(fileSize) : 0;
        this.recorder = new RangeRecorder(size, CAPTURE_BUDGET);
        this.recorder.keep(0, HEAD_BYTES);
        this.recorder.keep(0, 64, () => this.onHeader());
    }
    push(chunk) {
        const start = this.position;
        this.position += chunk.length;
        if (this.invalid || chunk.length === 0 || (!this.recorder.waiting && !this.search))
            return;
        this.recorder.begin(chunk, start);
        this.search?.feed(asBuffer(chunk), start);
        this.recorder.end();
    }
    finish() {
        const h = this.header;
        if (this.invalid || !h || !this.segments)
            return null;
        const interp = this.segments.find((s) => s.type === PT_INTERP);
        const info = {
            bits: h.is64 ? 64 : 32,
            machine: MACHINES[h.machine] ?? `0x${h.machine.toString(16)}`,
            type: elf_TYPES[h.type] ?? 'other',
            static: !interp,
            ...this.dynamicFacts(),
            ...this.sectionFacts(h)
        };
        const interpreter = interp ? this.recorder.read(interp.offset, Math.min(interp.filesz, INTERP_BYTES)) : undefined;
        if (interpreter)
            info.interpreter = elf_cString(interpreter, 0);
        const go = this.go?.result();
        if (go)
            info.go = go;
        const attribution = go ? this.attribution(h, go) : null;
        if (attribution)
            info.goAttribution = attribution;
        return info;
    }
    attribution(h, go) {
        const code = this.pclntab?.result(this.padding);
        const sections = this.namedSections(h);
        return code && sections ? attributeGo(this.recorder.size, sections, code, go) : null;
    }
    onHeader() {
        const bytes = this.recorder.read(0, Math.min(64, this.recorder.size));
        const h = bytes ? parseElfHeader(bytes) : null;
        if (!h) {
            this.invalid = true;
            return;
        }
        this.header = h;
        if (h.phnum === 0)
            this.onSegments([]);
        else
            this.recorder.keep(h.phoff, h.phoff + h.phnum * h.phentsize, () => this.onProgramHeaders());
        if (h.shoff > 0 && h.shnum > 0 && sectionEntriesFit(h)) {
            this.recorder.keep(h.shoff - SECTION_TAIL_BYTES, h.shoff + h.shnum * h.shentsize);
        }
    }
    onProgramHeaders() {
        const h = this.header;
        const table = h ? this.recorder.read(h.phoff, h.phnum * h.phentsize) : undefined;
        if (h && table)
            this.onSegments(parseSegments(table, h));
    }
    onSegments(segments) {
        this.segments = segments;
        const keepSegment = (s, max, onDone) => this.recorder.keep(s.offset, s.offset + Math.min(s.filesz, max), onDone);
        const interp = segments.find((s) => s.type === PT_INTERP);
        if (interp)
            keepSegment(interp, INTERP_BYTES);
        for (const note of segments.filter((s) => s.type === PT_NOTE).slice(0, MAX_NOTES)) {
            keepSegment(note, NOTE_BYTES, () => this.onNote(note));
        }
        this.go = new GoBuildInfoReader(this.recorder, (vaddr, length) => this.fileOffsetOf(vaddr, length));
        const data = segments.find((s) => s.type === PT_LOAD && (s.flags & (PF_X | PF_W)) === PF_W);
        if (data)
            keepSegment(data, this.go.dataWindowBytes, () => this.onDataWindow(data));
        const dynamic = segments.find((s) => s.type === PT_DYNAMIC);
        if (dynamic)
            this.watchDynamic(dynamic, segments);
    }
    /** Go's build info sits at the start of the first writable segment. */
    onDataWindow(data) {
        const length = Math.min(data.filesz, this.go?.dataWindowBytes ?? 0);
        const window = this.recorder.read(data.offset, length);
        if (window)
            this.go?.onDataWindow(data.offset, window);
    }
    onNote(note) {
        const h = this.header;
        const bytes = this.recorder.read(note.offset, Math.min(note.filesz, NOTE_BYTES));
        if (!h || !bytes || !this.go || !hasGoNote(bytes, h, note.align === 8 ? 8 : 4))
            return;
        this.startSearch();
        const from = tablesFrom(this.segments ?? []);
        this.search?.add(this.go.needles(from));
        this.pclntab = new PclntabReader(this.recorder);
        this.search?.add(this.pclntab.needles(from, h.little));
        this.search?.add([this.windowNeedle('.shstrtab\0', from)]);
        this.watchPadding(h);
    }
    /** Go's text is the first executable PT_LOAD; it has not streamed yet when the note is read. */
    watchPadding(h) {
        const text = this.segments?.find((s) => s.type === PT_LOAD && (s.flags & PF_X) !== 0);
        if (!text)
            return;
        const padding = new TextPadding(text.offset, text.vaddr, text.filesz, X86_MACHINES.includes(h.machine) ? INT3 : 0);
        // The segment begins with the ELF headers, which may have streamed already; the code starts later.
        const from = Math.max(text.offset, this.recorder.streamed);
        if (this.recorder.tap(from, text.offset + text.filesz, (piece, at) => padding.feed(piece, at)))
            this.padding = padding;
    }
    /** Keeps the dynamic table and makes sure .dynstr, which usually precedes it, is held when it is parsed. */
    watchDynamic(dynamic, segments) {
        this.recorder.keep(dynamic.offset, dynamic.offset + Math.min(dynamic.filesz, DYNAMIC_BYTES), () => this.onDynamic(dynamic));
        const first = segments.find((s) => s.type === PT_LOAD);
        if (first && (first.flags & PF_X) === 0) {
            this.recorder.keep(HEAD_BYTES, Math.min(first.offset + first.filesz, DYNSTR_PREFIX_BYTES));
        }
        // Go's internal linker puts .dynstr after .rodata, megabytes in: find it by its library names.
        this.dynstrNeedles.push(this.windowNeedle('.so\0', 0), this.windowNeedle('.so.', 0));
        this.startSearch();
        this.search?.add(this.dynstrNeedles);
    }
    onDynamic(dynamic) {
        const h = this.header;
        const bytes = this.recorder.read(dynamic.offset, Math.min(dynamic.filesz, DYNAMIC_BYTES));
        for (const needle of this.dynstrNeedles)
            needle.active = false;
        if (!h || !bytes)
            return;
        this.dynamic = parseDynamic(bytes, h);
        const offset = this.dynamic.strtab === undefined ? null : this.fileOffsetOf(this.dynamic.strtab, 1);
        if (offset === null)
            return;
        this.dynstrOffset = offset;
        // .dynstr normally precedes .dynamic and is held by now; when it follows, keep its start as it streams by.
        const size = Math.min(this.dynamic.strsz ?? DYNAMIC_BYTES, DYNAMIC_BYTES);
        if (!this.recorder.read(offset, 1))
            this.recorder.keep(offset, offset + size);
    }
    startSearch() {
        if (this.search)
            return;
        this.search = new NeedleSearch();
        this.recorder.keepHistory(HISTORY_BYTES);
    }
    /** A needle whose hits keep the bytes around them, for small tables we can only locate later. */
    windowNeedle(text, from) {
        let windows = 0;
        const needle = {
            bytes: Buffer.from(text, 'latin1'),
            from,
            active: true,
            onHit: (offset) => {
                const [start, end] = [offset - WINDOW_RADIUS, offset + WINDOW_RADIUS];
                if (this.recorder.plans(start, end) || !this.recorder.keep(start, end))
                    return;
                needle.active = ++windows < MAX_WINDOWS;
            }
        };
        return needle;
    }
    /** Maps a virtual address range to its file offset through the PT_LOAD segments. */
    fileOffsetOf(vaddr, length) {
        for (const s of this.segments ?? []) {
            if (s.type === PT_LOAD && vaddr >= s.vaddr && vaddr + length <= s.vaddr + s.filesz) {
                return s.offset + (vaddr - s.vaddr);
            }
        }
        return null;
    }
    /** Reads each name on its own: big C++ binaries have megabytes of .dynstr, of which only windows are held. */
    dynamicFacts() {
        const table = this.dynamic;
        const base = this.dynstrOffset;
        if (!table || base === undefined)
            return { needed: [], rpath: [], runpath: [] };
        const names = (offsets) => offsets.map((at) => this.recorder.cStringAt(base + at, MAX_DYNAMIC_STRING) ?? '').filter((s) => s !== '');
        const paths = (offsets) => names(offsets).flatMap((p) => p.split(':')).filter((s) => s !== '');
        return { needed: names(table.needed), rpath: paths(table.rpath), runpath: paths(table.runpath) };
    }
    /** A file without section headers (e.g. sstrip'ed) is stripped with nothing left to strip. */
    sectionFacts(h) {
        const unknown = { stripped: null, strippableBytes: null };
        if (h.shoff === 0 || h.shnum === 0)
            return { stripped: true, strippableBytes: 0 };
        const sections = this.namedSections(h);
        if (!sections)
            return unknown;
        let symbols = false;
        let bytes = 0;
        for (const section of sections.filter((s) => isStrippable(s.name))) {
            if (section.name !== '.strtab')
                symbols = true;
            if (section.type !== elf_SHT_NOBITS)
                bytes += section.size;
        }
        return { stripped: !symbols, strippableBytes: bytes };
    }
    /** The section table with names; null when it or .shstrtab was not held, [] when there is none. */
    namedSections(h) {
        if (h.shoff === 0 || h.shnum === 0)
            return [];
        const table = sectionEntriesFit(h) ? this.recorder.read(h.shoff, h.shnum * h.shentsize) : undefined;
        const sections = table ? parseSections(table, h) : [];
        const shstrtab = sections[h.shstrndx];
        const names = shstrtab ? this.recorder.read(shstrtab.offset, shstrtab.size) : undefined;
        if (!names)
            return null;
        return sections.map((s) => ({ name: elf_cString(names, s.name), type: s.type, flags: s.flags, offset: s.offset, size: s.size }));
    }
}

;// CONCATENATED MODULE: ./src/layer.ts







const layer_EXECUTABLE_BITS = 0o111;
/** Collects file entries from a layer tar, scanning executables for ELF facts as they stream by. */
class LayerIndex {
    entries = new LayerEntries();
    bytes = { regular: 0, symlinkTargets: 0 };
    files = 0;
    parser = new TarParser((header) => this.onEntry(header));
    onEntry(header) {
        const index = this.entries.add(header);
        if (header.type !== 'directory')
            this.files++;
        if (header.type === 'file')
            this.bytes.regular += header.size;
        if (header.type === 'symlink')
            this.bytes.symlinkTargets += Buffer.byteLength(header.linkname);
        if (header.type !== 'file')
            return undefined;
        const executable = (header.mode & layer_EXECUTABLE_BITS) !== 0;
        return executable && header.size > ELF_SNIFF_BYTES ? new ElfSink(this.entries, index, header.size) : undefined;
    }
}
/** Looks at an executable's first bytes and, for an ELF, scans it without keeping it. */
class ElfSink {
    entries;
    index;
    size;
    head = [];
    headBytes = 0;
    scanner;
    decided = false;
    constructor(entries, index, size) {
        this.entries = entries;
        this.index = index;
        this.size = size;
    }
    write(chunk) {
        if (this.decided) {
            this.scanner?.push(chunk);
            return;
        }
        this.head.push(chunk.slice(0, ELF_SNIFF_BYTES));
        this.headBytes += chunk.length;
        if (this.headBytes < ELF_SNIFF_BYTES)
            return;
        this.decided = true;
        const head = Buffer.concat(this.head);
        if (looksLikeElf(head))
            this.scanner = new ElfScanner(this.size);
        // The sniffed bytes were only copied: the scanner still needs every chunk in full.
        if (this.scanner)
            this.replay(chunk);
    }
    replay(current) {
        // All chunks before `current` together held fewer than ELF_SNIFF_BYTES bytes, so their copies are whole.
        for (const earlier of this.head.slice(0, -1))
            this.scanner?.push(earlier);
        this.scanner?.push(current);
        this.head = [];
    }
    end() {
        const info = this.scanner?.finish();
        if (info)
            this.entries.setElf(this.index, info);
    }
}
/** Node 22.15+ (and so the action's node24) has zstd in zlib; @types/node 20 does not know it yet. */
const createZstdDecompress = external_node_zlib_namespaceObject.createZstdDecompress;
/** Whether this Node can read zstd layers. */
function canReadZstd() {
    return typeof createZstdDecompress === 'function';
}
function decompressor(compression) {
    if (compression === 'gzip')
        return external_node_zlib_namespaceObject.createGunzip();
    if (compression === 'zstd')
        return createZstdDecompress?.();
    return undefined;
}
/** Feeds a decompressor with backpressure while a consumer drains its output. */
class ZlibPipe {
    stream;
    drained;
    constructor(stream, consume) {
        this.stream = stream;
        this.drained = (async () => {
            for await (const out of stream) {
                const result = consume(out);
                if (result)
                    await result;
            }
        })();
        // The consumer loop reports errors through `drained`; avoid an unhandled rejection meanwhile.
        this.drained.catch(() => undefined);
    }
    async write(chunk) {
        if (!this.stream.write(chunk))
            await Promise.race([(0,external_node_events_namespaceObject.once)(this.stream, 'drain'), this.drained]);
    }
    async end() {
        this.stream.end();
        await this.drained;
    }
}
/**
 * Receives a layer blob (plain tar, gzip or zstd) chunk by chunk and produces its LayerScan.
 * `compression` comes from the blob's first bytes, which the archive reader sniffs.
 */
class LayerScanner {
    compression;
    index = new LayerIndex();
    decompress;
    estimate;
    blobBytes = 0;
    estimatedBytes = 0;
    constructor(compression, options) {
        this.compression = compression;
        const stream = decompressor(compression);
        if (compression !== 'none' && !stream)
            throw new Error(`cannot decompress ${compression} on Node ${process.version}`);
        if (stream)
            this.decompress = new ZlibPipe(stream, (out) => this.index.parser.push(out));
        // Plain layers are deflated in parallel chunks: the compressed figure is the slow part of the analysis.
        else if (options.estimateCompressed)
            this.estimate = new GzipSizeEstimator({ level: options.gzipLevel ?? 6, scale: options.gzipScale ?? 1 });
    }
    async write(chunk) {
        this.blobBytes += chunk.length;
        if (this.decompress)
            return this.decompress.write(chunk);
        const pending = this.estimate?.write(chunk);
        await this.index.parser.push(chunk);
        if (pending)
            await pending;
    }
    async end() {
        await this.decompress?.end();
        if (this.estimate)
            this.estimatedBytes = await this.estimate.end();
        await this.index.parser.end();
    }
    result() {
        const compressed = this.compression !== 'none';
        const compressedSize = compressed ? this.blobBytes : this.estimate ? this.estimatedBytes : undefined;
        return {
            bytes: { ...this.index.bytes },
            tarBytes: this.index.parser.bytesRead,
            blobBytes: this.blobBytes,
            compressedSize,
            compressedExact: compressed,
            compression: this.compression,
            files: this.index.files,
            entries: this.index.entries
        };
    }
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/layer-cache.ts

/**
 * Layers already analysed in this run, by diffId, so that layers a pull request's base shares with
 * its head are analysed once. `docker save` names a shared layer differently in each image, so a
 * layer is recognised by its exact tar length among the image's own diffIds, then proven by its digest.
 */
class LayerCache {
    byDiffId = new Map();
    add(diffIds, scans) {
        diffIds.forEach((diffId, index) => {
            const scan = scans[index];
            // Only plain layers: a gzip blob's tar length is not known up front, so it could never match.
            if (scan && !scan.compressedExact)
                this.byDiffId.set(diffId, { diffId, scan });
        });
    }
    /** Finds the one cached layer of the expected image whose tar is `tarBytes` long; ambiguity means none. */
    candidate(expected, tarBytes) {
        const matches = expected.map((diffId) => this.byDiffId.get(diffId)).filter((entry) => entry?.scan.tarBytes === tarBytes);
        return matches.length === 1 ? matches[0] : undefined;
    }
    /** How many of these scans came from the cache rather than a fresh analysis. */
    reused(scans) {
        const cached = new Set([...this.byDiffId.values()].map((entry) => entry.scan));
        return scans.filter((scan) => cached.has(scan)).length;
    }
}
/** Thrown when a layer taken for a cached one turns out to differ: the caller analyses afresh. */
class LayerCacheMiss extends Error {
    name = 'LayerCacheMiss';
}
/** Drains a layer while hashing it, proving it is the cached layer it was taken for. */
class VerifyingSink {
    candidate;
    hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    constructor(candidate) {
        this.candidate = candidate;
    }
    write(chunk) {
        this.hash.update(chunk);
    }
    end() {
        const digest = `sha256:${this.hash.digest('hex')}`;
        if (digest !== this.candidate.diffId)
            throw new LayerCacheMiss(`layer ${digest} was taken for ${this.candidate.diffId}`);
    }
}

;// CONCATENATED MODULE: ./src/archive.ts




/** Thrown when an archive is readable as tar but is not an image archive we understand. */
class ArchiveError extends Error {
    name = 'ArchiveError';
}
/** Thrown when the archive holds no image for the platform asked for; `available` lists those it has. */
class PlatformMissing extends ArchiveError {
    platform;
    available;
    constructor(platform, available) {
        super(`the archive has no image for platform ${platform} (it has ${available.join(', ') || 'none'})`);
        this.platform = platform;
        this.available = available;
    }
}
/** JSON documents (manifests, configs) are small; a larger "JSON" entry is not one of them. */
const MAX_JSON_BYTES = 16 << 20;
const SNIFF_BYTES = 512;
/** Collects one archive entry's bytes and hands them to the right consumer once its kind is known. */
class EntryClassifier {
    choose;
    head = [];
    headBytes = 0;
    target;
    decided = false;
    constructor(choose) {
        this.choose = choose;
    }
    async write(chunk) {
        if (this.decided)
            return this.forward(chunk);
        this.head.push(chunk.slice());
        this.headBytes += chunk.length;
        if (this.headBytes >= SNIFF_BYTES)
            await this.decide();
    }
    async end() {
        if (!this.decided)
            await this.decide();
        const result = this.target?.end();
        if (result)
            await result;
    }
    async decide() {
        this.decided = true;
        const head = Buffer.concat(this.head);
        this.head = [];
        this.target = this.choose(head);
        if (head.length > 0)
            await this.forward(head);
    }
    async forward(chunk) {
        const result = this.target?.write(chunk);
        if (result)
            await result;
    }
}
class JsonSink {
    path;
    documents;
    parts = [];
    bytes = 0;
    constructor(path, documents) {
        this.path = path;
        this.documents = documents;
    }
    write(chunk) {
        this.bytes += chunk.length;
        if (this.bytes > MAX_JSON_BYTES)
            throw new ArchiveError(`archive entry ${this.path} is too large to be a manifest`);
        this.parts.push(chunk.slice());
    }
    end() {
        this.documents.set(this.path, Buffer.concat(this.parts).toString('utf8'));
    }
}
/** A layer blob's compression from its magic: gzip 1f 8b, zstd frame 28 b5 2f fd; undefined when it is not a layer. */
function sniffLayer(head) {
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)
        return 'gzip';
    if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528)
        return 'zstd';
    return isTar(head) ? 'none' : undefined;
}
function isTar(head) {
    if (head.length < SNIFF_BYTES)
        return head.length > 0 && head.every((byte) => byte === 0);
    return head.toString('latin1', 257, 262) === 'ustar' || head.subarray(0, SNIFF_BYTES).every((byte) => byte === 0);
}
async function readImageArchive(source, options) {
    const documents = new Map();
    const scanners = new Map();
    const choose = (path, size) => (head) => {
        if (head[0] === 0x7b /* { */ || path.endsWith('.json'))
            return new JsonSink(path, documents);
        const compression = sniffLayer(head);
        if (!compression)
            return undefined;
        if (compression === 'zstd' && !canReadZstd()) {
            throw new ArchiveError(`layer ${path} is zstd-compressed, which Node ${process.version} cannot read; run on Node 22.15 or later (the action's node24 can)`);
        }
        const candidate = compression === 'none' ? options.reuse?.cache.candidate(options.reuse.diffIds, size) : undefined;
        if (candidate) {
            scanners.set(path, { result: () => candidate.scan });
            return new VerifyingSink(candidate);
        }
        const scanner = new LayerScanner(compression, options);
        scanners.set(path, scanner);
        return scanner;
    };
    const parser = new TarParser((header) => header.type === 'file' ? new EntryClassifier(choose(header.path, header.size)) : undefined);
    for await (const chunk of source)
        await parser.push(chunk);
    await parser.end();
    return resolveImage(documents, scanners, options.platform);
}
function resolveImage(documents, scanners, platform) {
    const layout = chooseLayout(documents, platform);
    const config = parseJson(documents, layout.configPath);
    if (platform && normalPlatform(platformName(config)) !== normalPlatform(platform))
        throw new PlatformMissing(platform, [platformName(config)]);
    const layers = layout.layerPaths.map((path) => {
        const scanner = scanners.get(path);
        if (!scanner)
            throw new ArchiveError(`image archive lists layer ${path} but does not contain it`);
        return scanner.result();
    });
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== layers.length) {
        throw new ArchiveError(`image config lists ${diffIds.length} layers but the manifest lists ${layers.length}`);
    }
    return { id: layout.id, configDigest: layout.configDigest, config, layers, diffIds };
}
/** An engine's manifest.json names only the platform it saved by default; index.json names every one it holds. */
function chooseLayout(documents, platform) {
    const legacy = documents.has('manifest.json');
    if (documents.has('index.json') && (platform || !legacy))
        return ociLayout(documents, platform);
    if (legacy)
        return legacyLayout(documents);
    throw new ArchiveError('archive has neither manifest.json nor index.json: it is not an image archive');
}
function legacyLayout(documents) {
    const manifest = parseJson(documents, 'manifest.json');
    const [first] = manifest;
    if (!first || manifest.length !== 1) {
        throw new ArchiveError(`manifest.json describes ${manifest.length} images; save exactly one image`);
    }
    const configPath = first.Config;
    const hex = /([0-9a-f]{64})/.exec(configPath)?.[1];
    const configDigest = hex ? `sha256:${hex}` : configPath;
    return { id: configDigest, configDigest, configPath, layerPaths: first.Layers };
}
function ociLayout(documents, platform) {
    const index = parseJson(documents, 'index.json');
    const images = imagesIn(documents, index.manifests ?? [], undefined, 0);
    const chosen = platform ? images.filter((image) => normalPlatform(image.platform) === normalPlatform(platform)) : images;
    const listed = images.map((image) => image.platform);
    const [only] = chosen;
    if (platform && !only)
        throw new PlatformMissing(platform, listed);
    if (!only || chosen.length > 1) {
        throw new ArchiveError(`the archive holds ${chosen.length} images (${listed.join(', ')}); choose one with the platform input`);
    }
    if (!only.manifest)
        throw new ArchiveError(`the archive lists an image for ${only.platform} but does not contain its manifest`);
    const { config, layers } = only.manifest;
    return { id: only.top, configDigest: config.digest, configPath: blobPath(config.digest), layerPaths: layers.map((layer) => blobPath(layer.digest)) };
}
/** Every image below these index entries, attestations skipped; nested indexes are followed a few levels deep. */
function imagesIn(documents, entries, top, depth) {
    return entries
        .filter((entry) => !isAttestation(entry))
        .flatMap((entry) => {
        const path = blobPath(entry.digest);
        const id = top ?? entry.digest;
        // An engine exporting one platform still lists the others it holds, without their blobs.
        if (!documents.has(path))
            return entry.platform ? [{ platform: platformName(entry.platform), top: id }] : [];
        const document = parseJson(documents, path);
        if (document.manifests && depth < 4)
            return imagesIn(documents, document.manifests, id, depth + 1);
        if (!document.config || !document.layers)
            throw new ArchiveError(`${path} is neither an image index nor a manifest`);
        const platform = entry.platform ? platformName(entry.platform) : configPlatform(documents, document.config);
        return [{ platform, top: id, manifest: { config: document.config, layers: document.layers } }];
    });
}
function configPlatform(documents, config) {
    return documents.has(blobPath(config.digest)) ? platformName(parseJson(documents, blobPath(config.digest))) : 'unknown/unknown';
}
function blobPath(digest) {
    const [algorithm, hex] = digest.split(':');
    return `blobs/${algorithm}/${hex}`;
}
function parseJson(documents, path) {
    const text = documents.get(path);
    if (text === undefined)
        throw new ArchiveError(`image archive has no ${path}`);
    try {
        return JSON.parse(text);
    }
    catch {
        throw new ArchiveError(`image archive entry ${path} is not valid JSON`);
    }
}

;// CONCATENATED MODULE: ./src/buildx.ts
/**
 * The classic docker driver loads straight into the engine's store; every other driver
 * (docker-container, kubernetes, remote, cloud) exports an OCI archive whose blobs are
 * already gzip-compressed, so their compressed sizes are exact.
 */
function deliveryFor(builder) {
    return builder.driver === 'docker' ? 'load' : 'oci-archive';
}
/** The `docker buildx build` argv for these inputs and this delivery. Pure, for table tests. */
function getBuildArgs(inputs, delivery, paths) {
    const args = ['buildx', 'build', '--progress', 'plain'];
    if (inputs.builder)
        args.push('--builder', inputs.builder);
    args.push('--file', paths.dockerfile);
    if (inputs.target)
        args.push('--target', inputs.target);
    if (inputs.platform)
        args.push('--platform', inputs.platform);
    if (inputs.network)
        args.push('--network', inputs.network);
    for (const arg of inputs.buildArgs)
        args.push('--build-arg', arg);
    for (const source of inputs.cacheFrom)
        args.push('--cache-from', source);
    for (const destination of inputs.cacheTo)
        args.push('--cache-to', destination);
    for (const secret of paths.secretFiles)
        args.push('--secret', `id=${secret.id},src=${secret.path}`);
    args.push('--iidfile', paths.iidFile, '--metadata-file', paths.metadataFile);
    if (delivery === 'load')
        args.push('--load');
    else
        args.push('--output', `type=oci,dest=${paths.ociArchive}`);
    args.push(inputs.context);
    return args;
}
/** Wrapping BuildKit puts around the reason; users only need the reason. */
const NOISE = [/rpc error: code = \w+ desc = /g, /failed to solve with frontend dockerfile\.v0: /g, /failed to create LLB definition: /g];
/**
 * The lines of buildx's plain progress output that explain a failed build of `dockerfile`:
 * the reason (its final `ERROR:` line), the failing step, the Dockerfile line where buildx
 * names one, and the step's last output.
 */
function explainBuildFailure(output, dockerfile) {
    const lines = output.split('\n').map((line) => line.replace(/\r$/, ''));
    const errors = lines.filter((line) => /^ERROR:? /.test(line)).map((line) => line.replace(/^ERROR:? /, ''));
    const raw = errors[errors.length - 1] ?? lastMeaningfulLine(lines) ?? 'buildx exited with an error';
    const reason = NOISE.reduce((text, pattern) => text.replace(pattern, ''), raw);
    const stepIndex = lines.findIndex((line) => /^ > .*:$/.test(line));
    const step = stepIndex === -1 ? undefined : (lines[stepIndex] ?? '').replace(/^ > /, '').replace(/:$/, '');
    const stepOutput = stepIndex === -1 ? [] : takeUntil(lines.slice(stepIndex + 1), '------').filter((line) => line.trim());
    const location = lines.find((line) => /^[^\s:]*Dockerfile[^\s:]*:\d+$/.test(line));
    const where = [location, step ? `\`${step}\`` : undefined].filter(Boolean).join(' ');
    const detail = stepOutput.slice(-5).map((line) => line.trim());
    return [`docker buildx build of ${dockerfile} failed${where ? ` at ${where}` : ''}: ${reason}`, ...detail].join('\n');
}
function takeUntil(lines, marker) {
    const end = lines.indexOf(marker);
    return end === -1 ? lines : lines.slice(0, end);
}
function lastMeaningfulLine(lines) {
    return [...lines].reverse().find((line) => line.trim() !== '');
}

;// CONCATENATED MODULE: ./src/policy.ts

/** The fix the seeds' ladder teaches: compile in one stage, ship only the binary. */
const TOOLCHAIN_FIX = 'build multi-stage: compile in a golang stage, then COPY --from=<build stage> only the binary into scratch, distroless or alpine';
/** Applies the budget, growth and toolchain rules to the image, with the insight rules' findings; errors fail. */
function evaluate(model, scan, options, insight = []) {
    const budget = measureBudget(model, options);
    const findings = [...insight];
    for (const toolchain of scan.toolchains)
        findings.push(toolchainFinding(model, toolchain, options));
    for (const deleted of scan.deleted)
        findings.push(deletedToolchainFinding(model, deleted));
    if (budget && !budget.passed)
        findings.push(budgetFinding(budget));
    const growth = measureGrowth(model, options);
    if (growth.finding)
        findings.push(growth.finding);
    // What fails the job first, then what to fix, then what to know; stable within a severity.
    findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
    return { passed: !findings.some((finding) => finding.severity === 'error'), budget, growth: growth.growth, findings };
}
const SEVERITY_RANK = { error: 0, warning: 1, notice: 2 };
/** Head minus base on the budget's metric, against max-growth; unknown base figures are said, not guessed. */
function measureGrowth(model, options) {
    const limit = options.maxGrowth;
    if (!limit || !options.baseline)
        return { growth: null };
    const metric = options.sizeMetric;
    const base = metric === 'uncompressed' ? options.baseline.size : options.baseline.compressedSize;
    if (base === null) {
        const message = `max-growth not checked: the baseline has no ${metric} size; use size-metric: compressed with a registry baseline`;
        return { growth: null, finding: { rule: 'size-growth', severity: 'warning', message } };
    }
    const actual = metricValue(model, metric) - base;
    const percent = base > 0 ? (actual / base) * 100 : null;
    const allowed = limit.kind === 'bytes' ? limit.value : (base * limit.value) / 100;
    const growth = { metric, limit: limit.value, limitKind: limit.kind, actual, percent, passed: actual <= allowed };
    if (growth.passed)
        return { growth };
    const shown = limit.kind === 'bytes' ? size_formatBytes(limit.value) : `${limit.value}%`;
    const grewBy = `${size_formatBytes(actual)}${percent === null ? '' : ` (${percent.toFixed(1)}%)`}`;
    const message = `image grew by ${grewBy} ${metric} against the baseline, over the max-growth of ${shown}`;
    return { growth, finding: { rule: 'size-growth', severity: 'error', message } };
}
/** The measured figure for a metric; throws if the caller skipped measuring it. */
function metricValue(model, metric) {
    if (metric === 'uncompressed')
        return model.size;
    if (model.compressedSize === undefined)
        throw new Error('compressed size was not measured');
    return model.compressedSize;
}
function measureBudget(model, options) {
    if (options.maxSize === undefined)
        return null;
    const actual = metricValue(model, options.sizeMetric);
    return { metric: options.sizeMetric, limit: options.maxSize, actual, passed: actual <= options.maxSize };
}
function budgetFinding(budget) {
    const over = budget.actual - budget.limit;
    return {
        rule: 'size-budget',
        severity: 'error',
        message: `image is ${size_formatBytes(budget.actual)} ${budget.metric}, ${size_formatBytes(over)} over the max-size budget of ${size_formatBytes(budget.limit)}`
    };
}
function toolchainFinding(model, toolchain, options) {
    const layer = model.layers[toolchain.layer];
    const origin = layer?.instruction ? ` by \`${policy_truncate(layer.instruction, 120)}\`` : '';
    const finding = {
        rule: 'go-toolchain',
        severity: options.failOnGoToolchain ? 'error' : 'warning',
        message: `final image ships a Go toolchain (${toolchain.goVersion}) at /${toolchain.root}: ` +
            `${size_formatBytes(toolchain.bytes)}, added in layer ${toolchain.layer + 1}${origin}; fix: ${TOOLCHAIN_FIX}`,
        path: `/${toolchain.root}`,
        layer: toolchain.layer
    };
    if (options.fromLine !== undefined)
        finding.line = options.fromLine;
    return finding;
}
function deletedToolchainFinding(model, deleted) {
    return {
        rule: 'go-toolchain',
        severity: 'notice',
        message: `a Go toolchain (${deleted.goVersion}) at /${deleted.root} was deleted in layer ${deleted.deletedIn + 1}, ` +
            `but its ${size_formatBytes(deleted.bytes)} still ship in layer ${deleted.layer + 1}; ${TOOLCHAIN_FIX}`,
        path: `/${deleted.root}`,
        layer: deleted.layer,
        ...(model.layers[deleted.layer]?.dockerfileLine !== undefined ? { line: model.layers[deleted.layer]?.dockerfileLine } : {})
    };
}
function policy_truncate(text, length) {
    return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

;// CONCATENATED MODULE: ./src/delta.ts
const MAX_PATHS = 10;
/** A parent is dropped when one descendant explains at least this share of its growth. */
const DESCENDANT_SHARE = 0.9;
/** The classic builder records COPY/ADD sources as a content hash, which changes with the content. */
const CONTENT_HASH = /\b(file|dir|multi):[0-9a-f]{12,}\b/g;
/** Head minus base per metric; null where either side does not know the metric. */
function deltaOf(image, baseline) {
    return {
        size: baseline.size === null ? null : image.size - baseline.size,
        compressedSize: image.compressedSize === null || baseline.compressedSize === null ? null : image.compressedSize - baseline.compressedSize
    };
}
function compare(head, baseline) {
    const delta = deltaOf(head.image, baseline);
    return {
        delta,
        percent: { size: percentOf(delta.size, baseline.size), compressedSize: percentOf(delta.compressedSize, baseline.compressedSize) },
        layers: compareLayers(head.image.layers, baseline.layers, baseline.size !== null),
        baseImageChanged: baseImageChanged(head.image.layers, baseline.layers),
        paths: baseline.paths === null ? [] : growingPaths(head.image.paths, baseline.paths)
    };
}
/** null when the base is empty: growth from nothing has no percentage. */
function percentOf(delta, base) {
    if (delta === null || base === null || base === 0)
        return null;
    return (delta / base) * 100;
}
function delta_layerOrigin(layer) {
    return layer.dockerfileLine === null ? 'base-image' : 'dockerfile';
}
/**
 * Pairs identical layers by diffId, then same-origin layers by normalised instruction, each in order.
 * `uncompressedKnown` is false for a registry baseline: its layer sizes are 0, so kinds go by compressed size.
 */
function compareLayers(head, base, uncompressedKnown = true) {
    const headSide = { layers: head, origins: head.map(delta_layerOrigin) };
    const baseSide = { layers: base, origins: baseOrigins(head, base) };
    const byDigest = pairLayers(headSide, baseSide, [], (layer) => layer.diffId);
    const byInstruction = pairLayers(headSide, baseSide, byDigest, instructionKey);
    const matches = new Map();
    for (const [h, b] of byDigest)
        matches.set(h, { base: b, by: 'digest' });
    for (const [h, b] of byInstruction)
        matches.set(h, { base: b, by: 'instruction' });
    const matchedBase = new Set([...matches.values()].map((match) => match.base));
    const changes = head.map((layer, index) => {
        const match = matches.get(index);
        const baseLayer = match ? base[match.base] : undefined;
        const pair = match && baseLayer ? { base: { index: match.base, layer: baseLayer }, matchedBy: match.by } : { matchedBy: null };
        return layerChange(delta_layerOrigin(layer), { head: { index, layer }, ...pair }, uncompressedKnown);
    });
    base.forEach((layer, index) => {
        if (matchedBase.has(index))
            return;
        changes.push(layerChange(baseSide.origins[index] ?? delta_layerOrigin(layer), { base: { index, layer }, matchedBy: null }, uncompressedKnown));
    });
    return changes;
}
/**
 * A registry baseline records no Dockerfile lines; base-image layers always come first, so its leading
 * layers, as many as the head's base image has, are taken as its base image.
 */
function baseOrigins(head, base) {
    const hasLines = (layers) => layers.some((layer) => layer.dockerfileLine !== null);
    if (hasLines(base) || !hasLines(head))
        return base.map(delta_layerOrigin);
    const leading = head.filter((layer) => layer.dockerfileLine === null).length;
    return base.map((_, index) => (index < leading ? 'base-image' : 'dockerfile'));
}
/** Pairs still-unpaired layers with equal keys, first come first served, so order stays stable. */
function pairLayers(head, base, taken, key) {
    const usedHead = new Set(taken.map(([h]) => h));
    const usedBase = new Set(taken.map(([, b]) => b));
    const waiting = new Map();
    base.layers.forEach((layer, index) => {
        const k = usedBase.has(index) ? null : key(layer, base.origins[index] ?? delta_layerOrigin(layer));
        if (k === null)
            return;
        const queue = waiting.get(k);
        if (queue)
            queue.push(index);
        else
            waiting.set(k, [index]);
    });
    const pairs = [];
    head.layers.forEach((layer, index) => {
        const k = usedHead.has(index) ? null : key(layer, head.origins[index] ?? delta_layerOrigin(layer));
        const match = k === null ? undefined : waiting.get(k)?.shift();
        if (match !== undefined)
            pairs.push([index, match]);
    });
    return pairs;
}
/** Same origin and instruction text, ignoring whitespace and classic-builder content hashes. */
function instructionKey(layer, origin) {
    if (!layer.instruction)
        return null;
    return `${origin}\n${layer.instruction.replace(/\s+/g, ' ').trim().replace(CONTENT_HASH, '$1:*')}`;
}
function layerChange(origin, { head, base, matchedBy }, uncompressedKnown) {
    // Identical content: a registry baseline's layer sizes (0, or exact gzip) must not show as change.
    const identical = matchedBy === 'digest';
    const delta = identical ? 0 : (head?.layer.size ?? 0) - (base?.layer.size ?? 0);
    const compressedDelta = identical ? 0 : compressedDifference(head?.layer, base?.layer);
    const change = { kind: 'unchanged', origin, delta, compressedDelta, matchedBy };
    if (head)
        change.head = head;
    if (base)
        change.base = base;
    if (!head || !base)
        change.kind = head ? 'added' : 'removed';
    else if (matchedBy === 'instruction')
        change.kind = sizeKind(uncompressedKnown ? delta : (compressedDelta ?? 0));
    return change;
}
/** An absent side counts as 0; a side present but unmeasured makes the difference unknown. */
function compressedDifference(head, base) {
    const headSize = head ? head.compressedSize : 0;
    const baseSize = base ? base.compressedSize : 0;
    return headSize === null || baseSize === null ? null : headSize - baseSize;
}
function sizeKind(delta) {
    if (delta > 0)
        return 'grown';
    return delta < 0 ? 'shrunk' : 'unchanged';
}
function baseImageChanged(head, base) {
    const origins = baseOrigins(head, base);
    const before = base.filter((_, index) => origins[index] === 'base-image').map((layer) => layer.diffId);
    const after = head.filter((layer) => delta_layerOrigin(layer) === 'base-image').map((layer) => layer.diffId);
    return before.length !== after.length || before.some((digest, index) => digest !== after[index]);
}
/** The top growers of the union of both path tables, preferring the most specific of nested entries. */
function growingPaths(head, base) {
    const sizes = new Map();
    for (const entry of base)
        sizes.set(entry.path, { base: entry.size, head: 0 });
    for (const entry of head)
        sizes.set(entry.path, { base: sizes.get(entry.path)?.base ?? 0, head: entry.size });
    const grown = [...sizes].map(([path, { base, head }]) => ({ path, base, head, delta: head - base })).filter((change) => change.delta > 0);
    const largestDescendant = descendantGrowth(grown);
    return grown
        .filter((change) => (largestDescendant.get(change.path) ?? 0) < DESCENDANT_SHARE * change.delta)
        .sort((a, b) => b.delta - a.delta || a.path.localeCompare(b.path))
        .slice(0, MAX_PATHS);
}
/** For every ancestor path, the largest growth of any one entry below it. */
function descendantGrowth(changes) {
    const largest = new Map();
    for (const change of changes) {
        for (const ancestor of ancestors(change.path))
            largest.set(ancestor, Math.max(largest.get(ancestor) ?? 0, change.delta));
    }
    return largest;
}
/** `/usr/lib/go` → `/usr/lib`, `/usr`, `/`. */
function ancestors(path) {
    const parts = path.split('/').filter((part) => part !== '');
    return parts.map((_, depth) => `/${parts.slice(0, depth).join('/')}`);
}

;// CONCATENATED MODULE: ./src/gate.ts




















/** inputs → build → archive → model → (baseline) → policy → report. Throws UserError for bad input. */
async function runGate(inputs, log, base, saved) {
    const source = await acquire(inputs, log);
    const outcome = await resolveBaseline(inputs, base, log, acquire, localImages, saved);
    return judge(source, inputs, outcome);
}
/** Builds the image, or reads the local one named by `image`. */
async function acquire(inputs, log) {
    return inputs.image ? analyseLocalImage(inputs, log) : buildAndAnalyse(inputs, log);
}
const localImages = {
    exists: imageExists,
    acquireImage: (ref, inputs, log) => analyseLocalImage({ ...inputs, image: ref, file: '' }, log)
};
/** The pure tail of the pipeline: everything after the archives have been read. */
function judge(source, inputs, outcome = { baseline: null, note: null }) {
    const model = buildImageModel(source.archive, source.stage, source.engineSizes);
    const scan = scanToolchains(model.filesystem, model.env);
    const fromLine = source.stage?.from.line;
    const policy = { sizeMetric: inputs.sizeMetric, failOnGoToolchain: inputs.failOnGoToolchain };
    if (inputs.maxSize !== undefined)
        policy.maxSize = inputs.maxSize;
    if (inputs.maxGrowth)
        policy.maxGrowth = inputs.maxGrowth;
    if (fromLine !== undefined)
        policy.fromLine = fromLine;
    if (outcome.baseline)
        policy.baseline = outcome.baseline;
    const binaries = binaryFacts(model.filesystem);
    const insightOptions = { failOnBrokenEntrypoint: inputs.failOnBrokenEntrypoint, ...(inputs.maxWasted ? { maxWasted: inputs.maxWasted } : {}), ...(source.stage ? { stage: source.stage } : {}) };
    const verdict = evaluate(model, scan, policy, insightFindings(model, binaries, insightOptions));
    const insight = { binaries, advice: advice(model, binaries), wasted: wastedBytes(model.filesystem) };
    const report = { ...buildReport(model, scan, verdict, insight), baseline: outcome.baseline, baselineNote: outcome.note };
    if (outcome.baseline)
        report.delta = { ...deltaOf(report.image, outcome.baseline), binaries: diffGoBinaries(binaries, outcome.baseline.binaries ?? []) };
    const file = source.dockerfile ? (0,external_node_path_namespaceObject.relative)(process.cwd(), source.dockerfile) : undefined;
    const annotations = report.findings.map((finding) => {
        const annotation = { severity: finding.severity, message: finding.message };
        if (file && finding.line !== undefined)
            Object.assign(annotation, { file, line: finding.line });
        return annotation;
    });
    return { report, model, annotations };
}
async function analyseLocalImage(inputs, log) {
    await engineVersion();
    const dockerfile = inputs.file ? await loadDockerfile(inputs) : undefined;
    const archive = await timed(log, 'analysis', () => log.group(`Analysing ${inputs.image}`, () => gate_savedImage(inputs.image, inputs, log)));
    return { archive, ...(await engineSizesOf(archive)), ...dockerfile };
}
/** Layers analysed in this run, so a pull request's base and head analyse shared layers once. */
const layerCache = new LayerCache();
/** Streams `docker save` through the analysis, reusing layers this run has already analysed. */
async function gate_savedImage(ref, inputs, log) {
    const image = await inspectImage(ref);
    // Plain layers are estimated as the engine's own BuildKit would gzip them.
    const options = { ...archiveOptions(inputs), gzipScale: gzipScaleFor(await engineGoVersion()) };
    const read = (reuse) => saveImage(image.id, (stream) => readImageArchive(stream, { ...options, ...(reuse ? { reuse: { cache: layerCache, diffIds: image.diffIds } } : {}) }), inputs.platform);
    const archive = await read(true)
        .catch((error) => {
        if (!(error instanceof LayerCacheMiss))
            throw error;
        log.info(`a layer was not the one it was taken for (${error.message}); analysing ${ref} afresh`);
        return read(false);
    })
        .catch((error) => {
        if (!(error instanceof PlatformMissing))
            throw error;
        throw new UserError(`${Input.Platform}: image ${ref} has no ${error.platform} image (it has ${error.available.join(', ') || 'none'})`);
    });
    const reused = layerCache.reused(archive.layers);
    if (reused > 0)
        log.info(`reused ${reused} of ${archive.layers.length} layers already analysed in this run`);
    layerCache.add(archive.diffIds, archive.layers);
    // The archive names the image by its config or manifest; the engine's own ID is the one `docker image inspect` accepts.
    return { ...archive, id: image.id };
}
async function buildAndAnalyse(inputs, log) {
    const dockerfile = await loadDockerfile(inputs);
    await engineVersion();
    await buildxVersion();
    const builder = await inspectBuilder(inputs.builder);
    const workdir = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_namespaceObject.join)(process.env['RUNNER_TEMP'] || (0,external_node_os_namespaceObject.tmpdir)(), 'image-size-gate-'));
    try {
        const paths = await preparePaths(workdir, dockerfile.dockerfile, inputs);
        const delivery = deliveryFor(builder);
        const args = getBuildArgs(inputs, delivery, paths);
        const result = await timed(log, 'build', () => log.group(`docker buildx build (${builder.driver} driver)`, () => runBuild(args, log)));
        if (result.exitCode !== 0)
            throw new UserError(explainBuildFailure(`${result.stdout}\n${result.stderr}`, paths.dockerfile));
        const archive = await timed(log, 'analysis', () => log.group('Analysing the image', () => delivery === 'load' ? loadedImage(paths.iidFile, inputs, log) : exportedImage(paths, inputs)));
        return { archive, ...(delivery === 'load' ? await engineSizesOf(archive) : {}), ...dockerfile };
    }
    finally {
        await (0,promises_namespaceObject.rm)(workdir, { recursive: true, force: true });
    }
}
/** Logs how long a phase took, so a run's cost can be split into builds and analyses from its log. */
async function timed(log, phase, body) {
    const started = performance.now();
    const result = await body();
    log.info(`image-size-gate: ${phase} took ${((performance.now() - started) / 1000).toFixed(2)} s`);
    return result;
}
/** Reads the OCI archive a builder exported; its ID is buildx's (the iidfile), as build-push-action's imageid output is. */
async function exportedImage(paths, inputs) {
    const archive = await readImageArchive((0,external_node_fs_namespaceObject.createReadStream)(paths.ociArchive, { highWaterMark: 1 << 20 }), archiveOptions(inputs));
    const iid = (await (0,promises_namespaceObject.readFile)(paths.iidFile, 'utf8').catch(() => '')).trim();
    return iid ? { ...archive, id: iid } : archive;
}
async function engineSizesOf(archive) {
    const engineSizes = await historySizes(archive.id);
    return engineSizes ? { engineSizes } : {};
}
async function loadedImage(iidFile, inputs, log) {
    return gate_savedImage((await (0,promises_namespaceObject.readFile)(iidFile, 'utf8')).trim(), inputs, log);
}
function archiveOptions(inputs) {
    return { estimateCompressed: inputs.measureCompressed, ...(inputs.platform ? { platform: inputs.platform } : {}) };
}
/** Checks the context and Dockerfile, and that the target stage exists, before anything runs. */
async function loadDockerfile(inputs) {
    const context = await (0,promises_namespaceObject.stat)(inputs.context).catch(() => undefined);
    if (!context?.isDirectory())
        throw new UserError(`${Input.Context}: '${inputs.context}' is not a directory`);
    const path = inputs.file || (0,external_node_path_namespaceObject.join)(inputs.context, 'Dockerfile');
    const text = await (0,promises_namespaceObject.readFile)(path, 'utf8').catch((error) => {
        const reason = error.code === 'ENOENT' ? 'does not exist' : `cannot be read (${messageOf(error)})`;
        throw new UserError(`${Input.File}: Dockerfile '${path}' ${reason}`);
    });
    const dockerfile = parseDockerfile(text, path, buildArgsOf(inputs));
    // With no stage at all the file is malformed: buildx names the exact syntax error better than we can.
    if (dockerfile.stages.length === 0)
        return { dockerfile: path };
    return { stage: selectStage(dockerfile, inputs.target || undefined), dockerfile: path };
}
function buildArgsOf(inputs) {
    return Object.fromEntries(inputs.buildArgs.map((arg) => [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]));
}
async function preparePaths(workdir, dockerfile, inputs) {
    const secretFiles = await Promise.all(inputs.secrets.map(async (secret, index) => {
        const path = (0,external_node_path_namespaceObject.join)(workdir, `secret-${index}`);
        await (0,promises_namespaceObject.writeFile)(path, secret.value, { mode: 0o600 });
        return { id: secret.id, path };
    }));
    return {
        dockerfile,
        iidFile: (0,external_node_path_namespaceObject.join)(workdir, 'iid'),
        metadataFile: (0,external_node_path_namespaceObject.join)(workdir, 'metadata.json'),
        ociArchive: (0,external_node_path_namespaceObject.join)(workdir, 'image.oci.tar'),
        secretFiles
    };
}

;// CONCATENATED MODULE: ./src/platforms.ts


/**
 * Builds and judges each platform in turn. One at a time works on every driver: the classic docker
 * store cannot load a manifest list, and other drivers export one OCI archive per platform.
 */
async function runPlatforms(inputs, log, base) {
    const platforms = inputs.platforms.length > 0 ? inputs.platforms : [inputs.platform];
    // Read and checked before anything is built, so a bad file fails fast and leaves nothing half-written.
    const saved = inputs.baselineReport ? await readBaselineReport(inputs.baselineReport) : undefined;
    const results = [];
    for (const platform of platforms) {
        if (platforms.length > 1)
            log.info(`image-size-gate: platform ${platform}`);
        results.push(await runGate({ ...inputs, platform }, log, base, saved));
    }
    return results;
}
/** The platform that is largest on the budget's metric: its figures become the action's outputs. */
function worstResult(results, metric) {
    const value = (result) => metric === 'compressed' ? (result.report.image.compressedSize ?? result.report.image.size) : result.report.image.size;
    return results.reduce((worst, result) => (value(result) > value(worst) ? result : worst));
}
/** One platform keeps the plain report shape; several are wrapped. */
function combinedReport(results) {
    const [only] = results;
    if (only && results.length === 1)
        return only.report;
    return { schemaVersion: 1, passed: results.every((result) => result.report.passed), platforms: results.map((result) => result.report) };
}
/** Annotations of every platform, each said once, naming the platforms it holds for when there are several. */
function combinedAnnotations(results) {
    const grouped = new Map();
    for (const result of results) {
        for (const annotation of result.annotations) {
            const key = `${annotation.severity}|${annotation.file}|${annotation.line}|${annotation.message}`;
            const entry = grouped.get(key) ?? { annotation, platforms: [] };
            entry.platforms.push(result.report.image.platform);
            grouped.set(key, entry);
        }
    }
    return [...grouped.values()].map(({ annotation, platforms }) => results.length > 1 ? { ...annotation, message: `${platforms.join(', ')}: ${annotation.message}` } : annotation);
}

;// CONCATENATED MODULE: ./src/markdown.ts
/**
 * Text that came from an image or a user (file names, ELF strings, history, ENTRYPOINTs, labels,
 * references, comment keys) on its way into markdown, a terminal, a log line or an annotation.
 *
 * Every markdown fragment made here is inline, on one line and safe in a table cell: it cannot open
 * or close HTML, start a block, end a cell, mention a user, load an image or forge our marker.
 */
/** C0/C1 controls, line and paragraph separators, bidi overrides and isolates, and lone surrogates. */
const HIDDEN = /[\p{Cc}\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|\p{Cs}/gu;
const NAMED = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };
/** Characters with a meaning anywhere in a GFM line; each becomes a numeric reference, which is never syntax. */
const SYNTAX = /[&<>\\`*_~[\]|$#@]/g;
/** At the start of a line these begin a list, a heading underline or an indented block. */
const LEADING = /^(?:[-+=\s]|\d+[.)])/;
/**
 * GitHub links `@user` and `#123` in the rendered text, after references are decoded, so escaping
 * the `@` would not stop the notification; a zero-width space after it does (as Renovate does).
 */
const ZERO_WIDTH_SPACE = '&#8203;';
const REFERENCE_START = /[A-Za-z0-9]/;
const ENTITY_START = /[#A-Za-z0-9]/;
/** The text on one line, every invisible or line-breaking character shown as an escape such as `\n`. */
function showControls(text) {
    return text.replace(HIDDEN, (char) => NAMED[char] ?? escapeSequence(char.charCodeAt(0)));
}
function escapeSequence(code) {
    const hex = code.toString(16).toUpperCase();
    return code < 0x100 ? `\\x${hex.padStart(2, '0')}` : `\\u${hex.padStart(4, '0')}`;
}
function reference(char) {
    return `&#${char.charCodeAt(0)};`;
}
/** Markdown syntax as references, and optionally mentions and issue references broken; `line` is one line. */
function encodeSyntax(line, breakReferences) {
    return line.replace(SYNTAX, (char, offset) => {
        const next = line.charAt(offset + 1);
        // An `&` starts a reference only before a name or `#`; `&&` stays readable.
        if (char === '&' && !ENTITY_START.test(next))
            return char;
        const encoded = char === '@' ? char : reference(char);
        const referenceStart = (char === '@' || char === '#') && REFERENCE_START.test(next);
        return breakReferences && referenceStart ? `${encoded}${ZERO_WIDTH_SPACE}` : encoded;
    });
}
/** Plain text in markdown, safe wherever it stands on a line; only a zero-width space after `@` or `#` is added. */
function markdown_escapeText(text) {
    const line = showControls(text);
    const lead = LEADING.exec(line)?.[0] ?? '';
    // Only the lead's last character can make it a block marker ("-", "1." / "1)"), so that one is encoded.
    const start = lead === '' ? '' : `${lead.slice(0, -1)}${reference(lead.slice(-1))}`;
    return `${start}${encodeSyntax(line.slice(lead.length), true)}`;
}
/**
 * Monospaced text. A backtick code span cannot escape anything inside it, so `<img` or a copy of our
 * marker would stay in the raw body; `<code>` with encoded text keeps the body itself clean. GitHub
 * links no mentions inside `<code>`, so it needs no zero-width spaces, and a copied path stays exact.
 */
function markdown_codeSpan(text) {
    return `<code>${encodeSyntax(showControls(text), false)}</code>`;
}
/** A table row of fragments made here (or of our own fixed text), each already cell-safe. */
function markdown_tableRow(cells) {
    return `| ${cells.join(' | ')} |`;
}

;// CONCATENATED MODULE: ./src/goexplain.ts
/**
 * Words and pictures for Go attribution: the "Why `/app` grew" section (top modules by |Δ| with their
 * versions, the build settings that changed, with what they cost) and a Mermaid pie of a binary's bytes
 * by module. Every piece of text that came from the image goes through imageText (markdown) or
 * pieLabel (Mermaid).
 */



/** Modules shown per binary; the rest are summed on one line. */
const TOP_MODULES = 8;
/** Binaries explained in a comment; the JSON report has them all. */
const MAX_BINARIES = 5;
const PIE_SLICES = 8;
const MAX_TEXT = 200;
/**
 * Image text (module paths, versions, replace targets, binary paths) as markdown.ts code: encoded, so
 * nothing in it can become markdown or HTML, and newlines show as `\n`.
 */
function imageText(text) {
    return markdown_codeSpan(text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);
}
const plain = (text) => text.replace(/\r?\n|\r/g, '\\n');
/** One line per change, largest first: modules, then build settings with the bytes they explain. */
function growthLines(diff, style = imageText) {
    const shown = diff.modules.slice(0, TOP_MODULES);
    const rest = diff.modules.slice(TOP_MODULES);
    const lines = shown.map((change) => moduleLine(change, style));
    if (rest.length > 0) {
        const delta = rest.reduce((sum, change) => sum + change.delta, 0);
        lines.push(`${size_formatDelta(delta)} in ${rest.length} more module${rest.length === 1 ? '' : 's'}`);
    }
    return [...lines, ...diff.settings.map((setting) => settingLine(setting, diff, style)), ...notCodeLine(diff)];
}
/** The buckets' change that no settings line already explains, with its three largest parts. */
function notCodeLine(diff) {
    const explainedBy = (key) => diff.settings.some((s) => s.key === key);
    const skip = [...(explainedBy('-ldflags') ? [BUCKETS.dwarf, BUCKETS.symbols] : []), ...(explainedBy('CGO_ENABLED') ? [BUCKETS.cgo] : [])];
    const buckets = diff.buckets.filter((bucket) => !skip.includes(bucket.name));
    const delta = buckets.reduce((sum, bucket) => sum + bucket.delta, 0);
    if (delta === 0)
        return [];
    const parts = buckets.slice(0, 3).map((bucket) => `${bucket.name} ${size_formatDelta(bucket.delta)}`);
    return [`${size_formatDelta(delta)} not code (${parts.join(', ')}${buckets.length > 3 ? ', …' : ''})`];
}
function moduleLine(change, style) {
    return `${size_formatDelta(change.delta)} ${style(change.path)} (${versionText(change, style)})`;
}
function versionText(change, style) {
    const v = (text) => (text ? style(text) : 'none');
    switch (change.kind) {
        case 'added':
            return `new, ${v(change.head?.version)}`;
        case 'removed':
            return `removed, was ${v(change.base?.version)}`;
        case 'upgraded':
        case 'downgraded':
            return `${v(change.base?.version)} → ${v(change.head?.version)}`;
        case 'replaced':
            return `${v(change.head?.version)}, replaced: ${v(change.base?.replace)} → ${v(change.head?.replace)}`;
        default:
            return v(change.head?.version);
    }
}
const STRIP_FLAGS = ['-s', '-w'];
function settingLine(setting, diff, style) {
    if (setting.key === '-ldflags') {
        const before = flags(setting.base);
        const after = flags(setting.head);
        const removed = STRIP_FLAGS.filter((flag) => before.includes(flag) && !after.includes(flag));
        const added = STRIP_FLAGS.filter((flag) => after.includes(flag) && !before.includes(flag));
        const cost = bucketDelta(diff, [BUCKETS.dwarf, BUCKETS.symbols]);
        if (removed.length > 0 && added.length === 0)
            return `ldflags: ${removed.join(' ')} removed (${size_formatDelta(cost)})`;
        if (added.length > 0 && removed.length === 0)
            return `ldflags: ${added.join(' ')} added (${size_formatDelta(cost)})`;
    }
    const text = `${setting.key}: ${settingValue(setting.base, style)} → ${settingValue(setting.head, style)}`;
    const cgo = setting.key === 'CGO_ENABLED' ? bucketDelta(diff, [BUCKETS.cgo]) : 0;
    return cgo === 0 ? text : `${text} (${size_formatDelta(cgo)} C code)`;
}
function flags(ldflags) {
    return (ldflags ?? '').split(/\s+/).filter((flag) => flag !== '');
}
function settingValue(value, style) {
    return value === null ? 'unset' : value === '' ? 'empty' : style(value);
}
function bucketDelta(diff, names) {
    return diff.buckets.filter((bucket) => names.includes(bucket.name)).reduce((sum, bucket) => sum + bucket.delta, 0);
}
/** Diffs worth explaining: the binary changed size, modules or settings. */
function explained(diffs) {
    return diffs.filter((d) => d.delta !== 0 || d.modules.length > 0 || d.settings.length > 0).slice(0, MAX_BINARIES);
}
/** The comment's "Why `/app` grew" sections, one per changed Go binary; [] when none changed. */
function goexplain_growthSection(diffs) {
    return explained(diffs).flatMap((diff) => {
        const verb = diff.delta > 0 ? 'grew' : diff.delta < 0 ? 'shrank' : 'changed';
        const from = diff.matchedBy === 'module' ? ` (was ${imageText(diff.basePath)})` : '';
        const title = `**Why ${imageText(diff.path)} ${verb}** (${formatBytes(diff.baseSize)} → ${formatBytes(diff.headSize)}, ${formatDelta(diff.delta)})${from}`;
        return [title, '', ...growthLines(diff).map((line) => `- ${line}`), ''];
    });
}
/** The same for a terminal. */
function growthText(diffs) {
    return explained(diffs).flatMap((diff) => [
        `why ${diff.path} ${diff.delta >= 0 ? 'grew' : 'shrank'} (${size_formatDelta(diff.delta)}):`,
        ...growthLines(diff, plain).map((line) => `  ${line}`)
    ]);
}
/**
 * A Mermaid pie of the binary's bytes: its largest modules, the other modules, and what is not code.
 * Labels keep only characters a Go module path may have, so no label can end its quotes or the block.
 */
function modulePie(path, attribution) {
    const top = attribution.modules.slice(0, PIE_SLICES);
    const otherModules = attribution.modules.slice(PIE_SLICES).reduce((sum, m) => sum + m.bytes, 0);
    const notCode = attribution.buckets.reduce((sum, b) => sum + b.bytes, 0);
    const slices = top.map((m) => [m.path === 'std' ? `std ${m.version}` : m.path, m.bytes]);
    if (otherModules > 0)
        slices.push(['other modules', otherModules]);
    if (notCode > 0)
        slices.push(['not code (pclntab, data, DWARF, headers)', notCode]);
    return [
        '```mermaid',
        `pie title ${pieLabel(path)} by module`,
        ...slices.map(([label, bytes]) => `    "${pieLabel(label)}" : ${bytes}`),
        '```'
    ];
}
function pieLabel(text) {
    return text.replace(/[^A-Za-z0-9._~/+@() ,-]/g, '_').slice(0, MAX_TEXT);
}
/** Pies drawn per report: the largest Go binaries. */
const MAX_PIES = 3;
/** One pie per large Go binary, each a single multi-line string (a unit the comment can drop whole). */
function goexplain_modulePies(binaries) {
    return [...binaries]
        .filter((b) => b.goAttribution !== null)
        .sort((a, b) => b.size - a.size)
        .slice(0, MAX_PIES)
        .map((b) => [`**${imageText(b.path)}** (${formatBytes(b.size)})`, '', ...modulePie(b.path, b.goAttribution)].join('\n'));
}

;// CONCATENATED MODULE: ./src/render.ts




/** At most this many layers get a row; the rest, and any below SMALL_SHARE of the image, fold into one. */
const MAX_LAYER_ROWS = 10;
const SMALL_SHARE = 0.005;
const FAILURE_REASON = {
    'go-toolchain': 'ships a Go toolchain',
    'size-budget': 'is over the size budget',
    'size-growth': 'grew more than max-growth allows',
    'missing-entrypoint': 'cannot start: its entrypoint is missing',
    'missing-interpreter': 'cannot start: its entrypoint\'s ELF interpreter is missing',
    'missing-library': 'cannot start: its entrypoint needs a missing shared library',
    'missing-ca-certificates': 'has no CA certificates for TLS',
    'missing-tzdata': 'has no time zone data',
    'unstripped-binary': 'ships unstripped binaries',
    'build-cache': 'ships build caches',
    'wasted-bytes': 'wastes more bytes than max-wasted allows',
    'root-user': 'runs as root'
};
const SEVERITY_ICON = { error: '❌', warning: '⚠️', notice: 'ℹ️' };
/** One line that says whether the image passed and, if not, why. */
function verdictLine(report) {
    const errors = report.findings.filter((finding) => finding.severity === 'error');
    if (errors.length === 0)
        return `image-size-gate passed: ${imageFigures(report)}`;
    const reasons = errors.map((finding) => FAILURE_REASON[finding.rule]);
    return `image-size-gate failed: the image ${[...new Set(reasons)].join(' and ')} (${imageFigures(report)})`;
}
function imageFigures(report) {
    const { size, compressedSize, compressedExact } = report.image;
    const compressed = compressedSize === null ? '' : `, ${size_formatBytes(compressedSize)} compressed${compressedExact ? '' : ' (est.)'}`;
    return `${size_formatBytes(size)} uncompressed${compressed}`;
}
/** The job summary: verdict, layers largest first, budget and toolchain lines, findings. */
function renderMarkdown(report) {
    const icon = report.passed ? '✅' : '❌';
    return [
        `### ${icon} ${verdictLine(report)}`,
        '',
        `Image ${codeSpan(shortId(report.image.id))} · ${escapeText(report.image.platform)} · ${report.image.layers.length} layers`,
        '',
        ...layerTable(report.image.layers),
        '',
        `**Budget:** ${budgetText(report)}`,
        '',
        `**Go toolchain:** ${toolchainText(report, escapeText)}`,
        ...adviceLines(report),
        ...goLines(report),
        ...findingList(report.findings)
    ].join('\n');
}
/** The module diff and the Go binaries' pies (GitHub draws Mermaid in job summaries as in comments). */
function goLines(report) {
    const growth = growthSection(report.delta?.binaries ?? []);
    const pies = modulePies(report.binaries);
    return [...(growth.length > 0 ? ['', ...growth] : []), ...(pies.length > 0 ? ['', '**Go binaries by module**', '', pies.join('\n\n')] : [])];
}
function layerTable(layers) {
    const total = layers.reduce((sum, layer) => sum + layer.size, 0);
    const ranked = layers.map((layer, index) => ({ layer, index })).sort((a, b) => b.layer.size - a.layer.size);
    const shown = ranked.filter((row, rank) => rank < MAX_LAYER_ROWS && (rank === 0 || row.layer.size >= total * SMALL_SHARE));
    const folded = ranked.slice(shown.length);
    const rows = shown.map(({ layer, index }) => tableRow([`${index + 1}`, formatBytes(layer.size), compressedCell(layer), instructionCell(layer, 100)]));
    if (folded.length > 0) {
        const size = folded.reduce((sum, row) => sum + row.layer.size, 0);
        const compressed = folded.reduce((sum, row) => sum + (row.layer.compressedSize ?? 0), 0);
        const estimated = folded.some((row) => !row.layer.compressedExact) ? '~' : '';
        const label = `${folded.length} smaller layer${folded.length === 1 ? '' : 's'}`;
        rows.push(`| … | ${formatBytes(size)} | ${estimated}${formatBytes(compressed)} | ${label} |`);
    }
    return ['| Layer | Size | Compressed | Instruction |', '| ---: | ---: | ---: | --- |', ...rows];
}
function compressedCell(layer) {
    if (layer.compressedSize === null)
        return '–';
    return layer.compressedExact ? formatBytes(layer.compressedSize) : `~${formatBytes(layer.compressedSize)}`;
}
/** A layer's instruction, at most `length` characters of it, for the summary's and the comment's tables. */
function instructionCell(layer, length) {
    const text = layer.instruction ? codeSpan(truncate(layer.instruction, length)) : '_base image_';
    return layer.dockerfileLine === null ? text : `${text} (line ${layer.dockerfileLine})`;
}
function budgetText(report) {
    const budget = report.budget;
    if (!budget)
        return 'none set (max-size is empty)';
    const verdict = budget.passed
        ? `within budget, ${size_formatBytes(budget.limit - budget.actual)} to spare`
        : `over by ${size_formatBytes(budget.actual - budget.limit)}`;
    return `${size_formatBytes(budget.actual)} of ${size_formatBytes(budget.limit)} ${budget.metric} — ${verdict} ${budget.passed ? '✅' : '❌'}`;
}
/** The toolchain line; `show` renders the image's own strings (version, paths, hints) for the target format. */
function toolchainText(report, show) {
    const toolchain = report.goToolchain;
    if (toolchain.found) {
        const version = toolchain.goVersion === null ? 'unknown version' : show(toolchain.goVersion);
        const more = toolchain.paths.length > 3 ? ` and ${toolchain.paths.length - 3} more` : '';
        return `${version} found at ${toolchain.paths.slice(0, 3).map(show).join(', ')}${more} (${size_formatBytes(toolchain.bytes)}, layer ${(toolchain.layer ?? 0) + 1})`;
    }
    const hints = toolchain.hints.length > 0 ? `; environment mentions ${toolchain.hints.map(show).join(', ')}, but no toolchain binary is present` : '';
    const deleted = toolchain.deleted.length > 0 ? '; one was deleted by a later layer, but its bytes still ship' : '';
    return `none in the final image ✅${deleted}${hints}`;
}
/** The seeds' advice, e.g. "this image could be about 6.40 MB on scratch (now 813 MB)". */
function adviceLines(report) {
    return report.advice ? ['', `**Advice:** 💡 ${escapeText(report.advice.text)}`] : [];
}
/** One finding as a markdown list item on one line, the same in the summary and the comment; messages quote the image. */
function findingBullet(finding) {
    return `- ${SEVERITY_ICON[finding.severity]} \`${finding.rule}\`: ${escapeText(finding.message)}`;
}
function findingList(findings) {
    if (findings.length === 0)
        return [];
    return ['', '**Findings**', '', ...findings.map(findingBullet)];
}
/** Plain text for a terminal: the same content as the summary without markdown. */
function renderText(report) {
    const lines = [verdictLine(report), `image ${shortId(report.image.id)} ${showControls(report.image.platform)}, ${report.image.layers.length} layers`, ''];
    report.image.layers.forEach((layer, index) => {
        const compressed = layer.compressedSize === null ? '' : ` (${layer.compressedExact ? '' : '~'}${size_formatBytes(layer.compressedSize)} gz)`;
        const line = layer.dockerfileLine === null ? '' : ` [Dockerfile:${layer.dockerfileLine}]`;
        lines.push(`  ${String(index + 1).padStart(2)}  ${size_formatBytes(layer.size).padStart(9)}${compressed}  ${showControls(policy_truncate(layer.instruction ?? 'base image', 80))}${line}`);
    });
    lines.push('', `budget: ${budgetText(report)}`, `go toolchain: ${toolchainText(report, showControls)}`);
    if (report.advice)
        lines.push(`advice: ${showControls(report.advice.text)}`);
    lines.push(...growthText(report.delta?.binaries ?? []));
    for (const finding of report.findings)
        lines.push(`${finding.severity}: [${finding.rule}] ${showControls(finding.message)}`);
    return lines.join('\n');
}
function shortId(id) {
    return id.replace(/^sha256:/, '').slice(0, 12);
}
/** Several platforms: an overview table, then each platform's own summary. */
function renderPlatformsMarkdown(reports) {
    const failed = reports.filter((report) => !report.passed);
    const headline = failed.length === 0
        ? `### ✅ image-size-gate passed on all ${reports.length} platforms`
        : `### ❌ image-size-gate failed on ${failed.length} of ${reports.length} platforms`;
    const rows = reports.map((report) => {
        const compressed = report.image.compressedSize === null ? '–' : `${report.image.compressedExact ? '' : '~'}${formatBytes(report.image.compressedSize)}`;
        const verdict = report.passed ? '✅ passed' : `❌ ${verdictLine(report).replace(/^image-size-gate failed: /, '')}`;
        return tableRow([escapeText(report.image.platform), formatBytes(report.image.size), compressed, verdict]);
    });
    const sections = reports.map((report) => `#### ${escapeText(report.image.platform)}\n\n${renderMarkdown(report).replace(/^### /, '##### ')}`);
    return [headline, '', '| Platform | Size | Compressed | Verdict |', '| --- | ---: | ---: | --- |', ...rows, '', ...sections].join('\n');
}

;// CONCATENATED MODULE: ./src/report-file.ts






/** The default report path: under RUNNER_TEMP in a workflow, the system temp dir elsewhere. */
function defaultReportPath() {
    return join(process.env['RUNNER_TEMP'] || tmpdir(), 'image-size-gate', `report-${process.pid}-${Date.now()}.json`);
}
/**
 * Checks that `path` can take the report, before anything is built: it is a regular file or does not exist,
 * and its directory is a directory or can be made. A symlink, FIFO or device would be replaced, not written.
 */
async function checkReportPath(path, name) {
    const cannot = (error) => new UserError(`${name}: '${path}' cannot be written (${reasonOf(error)})`);
    const info = await (0,promises_namespaceObject.lstat)(path).catch((error) => {
        if (error.code === 'ENOENT')
            return undefined;
        throw cannot(error);
    });
    if (info && !info.isFile())
        throw new UserError(`${name}: '${path}' is ${kindOf(info)}; give the path of a regular file`);
    const parent = await (0,promises_namespaceObject.stat)((0,external_node_path_namespaceObject.dirname)(path)).catch((error) => {
        if (error.code === 'ENOENT')
            return undefined;
        throw cannot(error);
    });
    if (parent && !parent.isDirectory())
        throw new UserError(`${name}: '${path}' is inside '${(0,external_node_path_namespaceObject.dirname)(path)}', which is not a directory`);
}
/** Writes the report atomically: a reader never sees a half-written file, and no partial file is left behind. */
async function writeReportFile(report, path, name = 'report') {
    await checkReportPath(path, name);
    // A name nobody can have planted (a symlink, say) beside the report; `wx` refuses one that exists anyway.
    const partial = `${path}.${(0,external_node_crypto_namespaceObject.randomBytes)(6).toString('hex')}.partial`;
    try {
        await (0,promises_namespaceObject.mkdir)((0,external_node_path_namespaceObject.dirname)(path), { recursive: true });
        await (0,promises_namespaceObject.writeFile)(partial, `${JSON.stringify(report, null, 2)}\n`, { flag: 'wx' });
        await (0,promises_namespaceObject.rename)(partial, path);
        return path;
    }
    catch (error) {
        if (error.code !== 'EEXIST')
            await (0,promises_namespaceObject.rm)(partial, { force: true });
        throw new UserError(`${name}: '${path}' cannot be written (${reasonOf(error)})`);
    }
}

;// CONCATENATED MODULE: ./src/cli.ts








const USAGE = `Usage: image-size-gate [options]

Builds a Dockerfile with docker buildx (or analyses --image), measures every layer,
and exits 1 when the image is over --max-size or ships a Go toolchain.

  --context DIR              build context (default .)
  --file PATH                Dockerfile (default CONTEXT/Dockerfile)
  --target STAGE             stage to build
  --build-arg KEY=VALUE      build argument (repeatable)
  --platform OS/ARCH         platform to build
  --platforms LIST           several platforms, comma separated; each is built and judged
  --builder NAME             buildx builder
  --cache-from SPEC          (repeatable)
  --cache-to SPEC            (repeatable)
  --secret ID=VALUE          (repeatable)
  --network MODE             network for RUN (e.g. none)
  --image REF                analyse this local image instead of building
  --max-size SIZE            budget, e.g. 25MB, 25MiB, 0.5GB
  --size-metric METRIC       uncompressed (default) or compressed
  --fail-on-go-toolchain B   true (default) or false
  --no-compressed            skip measuring compressed sizes (faster)
  --report PATH              write the JSON report to PATH
  --json                     print the JSON report instead of text
  --quiet                    no build progress on stderr
  --help                     show this help
`;
const OPTIONS = {
    context: { type: 'string' },
    file: { type: 'string' },
    target: { type: 'string' },
    'build-arg': { type: 'string', multiple: true },
    platform: { type: 'string' },
    platforms: { type: 'string' },
    builder: { type: 'string' },
    'cache-from': { type: 'string', multiple: true },
    'cache-to': { type: 'string', multiple: true },
    secret: { type: 'string', multiple: true },
    network: { type: 'string' },
    image: { type: 'string' },
    'max-size': { type: 'string' },
    'size-metric': { type: 'string' },
    'fail-on-go-toolchain': { type: 'string' },
    'no-compressed': { type: 'boolean' },
    report: { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean' }
};
/** Flags named after inputs whose CLI spelling differs. */
const FLAG_FOR = {
    [Input.BuildArgs]: 'build-arg',
    [Input.Secrets]: 'secret'
};
const REPORT_FLAG = '--report';
const stderrLog = {
    info: (line) => process.stderr.write(`${line}\n`),
    warning: (message) => process.stderr.write(`warning: ${message}\n`),
    group: async (title, body) => {
        process.stderr.write(`== ${title}\n`);
        return body();
    }
};
async function main(argv) {
    const { values } = (0,external_node_util_namespaceObject.parseArgs)({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
    if (values.help) {
        process.stdout.write(USAGE);
        return 0;
    }
    const read = (name) => {
        const value = values[FLAG_FOR[name] ?? name];
        return Array.isArray(value) ? value.join('\n') : typeof value === 'string' ? value : '';
    };
    const parsed = parseInputs(read);
    // The compressed metric needs compressed sizes, whatever --no-compressed says.
    const inputs = { ...parsed, measureCompressed: !values['no-compressed'] || parsed.sizeMetric === 'compressed' };
    if (values.report)
        await checkReportPath(values.report, REPORT_FLAG);
    const results = await runPlatforms(inputs, values.quiet || values.json ? silentLog : stderrLog);
    const report = combinedReport(results);
    if (values.report)
        await writeReportFile(report, values.report, REPORT_FLAG);
    const text = results.map((result) => renderText(result.report)).join('\n\n');
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${text}\n`);
    return results.every((result) => result.report.passed) ? 0 : 1;
}
main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
}, (error) => {
    // One sentence for the user; the stack only on request, and never for a user error.
    process.stderr.write(`image-size-gate: ${messageOf(error)}\n`);
    const debug = process.env['IMAGE_SIZE_GATE_DEBUG'] && !(error instanceof UserError) && error instanceof Error;
    if (debug)
        process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
});

