/**
 * Pinned versions. Any other version can be asked for on the command line (`--istio`); these are
 * the defaults and the tested set.
 *
 * Istio releases that exist, read on 2026-11-27 from the Go module proxy, which lists the release
 * tags of istio.io/api (tagged with each Istio release): v1.32.0, v1.31.0 to v1.31.4, and v1.30.8,
 * all of 1.32.0, 1.31.4 and 1.30.8 tagged 2026-10-21 (`go list -m -versions istio.io/api`,
 * `go list -m -json istio.io/api@v1.32.0`). Support policy
 * (https://istio.io/latest/docs/releases/supported-releases/): a minor is supported until six
 * weeks after the N+2 minor's .0. On 2026-11-27: 1.32 and 1.31 are supported; 1.30 until six weeks
 * after 1.32.0 (so into December 2026); 1.29 ended six weeks after 1.31.0 (istio.io/api v1.31.0:
 * 2026-08-24). Supported: 1.30, 1.31, 1.32; newest patches 1.30.8, 1.31.4, 1.32.0.
 *
 * The runtime default is one release, the newest supported: a user's runtime run must not
 * triple. The config level covers every supported minor it can build (istio-sim/releases.json:
 * the proxy serves no 1.32 commit of istio.io/istio, so 1.32 is runtime-only for now).
 * Refresh: rerun the two go list commands above, then update this list and the comment.
 */
export const DEFAULT_ISTIO_VERSIONS: readonly string[] = ['1.32.0'];

/** Versions we have seen released and may be asked for; used for help texts, not as an allow-list. */
export const KNOWN_ISTIO_VERSIONS: readonly string[] = ['1.30.8', '1.31.4', '1.32.0'];

/**
 * kind: the newest release module sigs.k8s.io/kind the Go module proxy serves on 2026-11-27 is
 * v0.33.0 (2026-08-26; `go list -m -versions sigs.k8s.io/kind`); its source says so too
 * (pkg/cmd/kind/version/version.go versionCore "0.33.0"). Without the `v`, as `kind version`
 * prints it. The release binary's sha256 is checked against the published sums at download; it
 * could not be read here (no access to GitHub releases), so it is not pinned in the repository.
 */
export const KIND_VERSION = '0.33.0';

/**
 * sha256 of tool release files whose published value a maintainer verified (keys as in
 * casebook.lock.json: "<tool>/<version>/<release file name>"). Checked before the lock file and
 * whatever a mirror publishes. Empty: the published sums for kind 0.33.0 and istioctl 1.30.8,
 * 1.31.4, 1.32.0 could not be read where this was written (no access to GitHub releases), so the
 * first verified download records them in casebook.lock.json instead (harness/tools/tool-lock.ts).
 */
export const PINNED_TOOL_SHA256: Readonly<Record<string, string>> = {};

/**
 * The node image kind v0.33.0 defaults to, with its digest: pkg/apis/config/defaults/image.go in
 * the sigs.k8s.io/kind@v0.33.0 module (checked against sum.golang.org by `go mod download`).
 * Always passed explicitly (`--image`) so a different kind binary on PATH cannot silently change
 * the Kubernetes version.
 */
export const KIND_NODE_IMAGE = 'kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5';
