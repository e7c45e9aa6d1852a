/**
 * Pinned versions. Any other version can be asked for on the command line (`--istio`); these are
 * the defaults and the tested set.
 *
 * Istio: one version per minor still supported on 2026-11-22, the newest patch verifiable from
 * istio/istio's own tags. Read with `git for-each-ref --sort=-taggerdate refs/tags` in the fetched
 * mirror of github.com/istio/istio, whose newest commit is 86c9f01f (2026-08-22). Tags seen then:
 *   1.31.0-rc.0 (2026-08-19, pre-release, no 1.31.0 yet), 1.30.3 (2026-07-16), 1.29.6 (2026-07-16),
 *   1.28.10 (2026-07-01); .0 dates 1.29.0 2026-02-16, 1.30.0 2026-05-18.
 * Support policy (https://istio.io/latest/docs/releases/supported-releases/): a minor is supported
 * until 6 weeks after the N+2 minor's .0. Applied to 2026-11-22:
 *   - 1.30: supported until 6 weeks after 1.32.0 (not tagged; quarterly cadence puts it ~Nov 2026,
 *     so 1.30 lasts at least to ~end of Dec 2026). Newest verifiable patch: 1.30.3.
 *   - 1.31: supported, but only 1.31.0-rc.0 is verifiable, which is a pre-release, not a patch;
 *     no 1.31 default. Ask for it explicitly: `--istio 1.31.0-rc.0` or a 1.31.x you know exists
 *     (the download verifies its published sha256 either way).
 *   - 1.29: EOL 6 weeks after 1.31.0. rc.0 -> .0 took 13 days for 1.30 and 18 days for 1.29, so
 *     1.31.0 is expected ~early Sep 2026 and 1.29 ends ~mid Oct 2026: not supported on 2026-11-22
 *     (an inference: 1.31.0 is not in the snapshot). 1.29.6 still works with `--istio 1.29.6`.
 * Refresh: fetch istio/istio again, rerun the for-each-ref above, update this list and comment.
 */
export const DEFAULT_ISTIO_VERSIONS: readonly string[] = ['1.30.3'];

/** Versions we have seen tagged and may be asked for; used for help texts, not as an allow-list. */
export const KNOWN_ISTIO_VERSIONS: readonly string[] = ['1.29.6', '1.30.3', '1.31.0-rc.0'];

/**
 * kind: newest release tag in github.com/kubernetes-sigs/kind (mirror commit fed26882, 2026-08-21)
 * is v0.32.0 (2026-06-02; v0.33.0-alpha is a pre-release marker on main). Without the `v`, as
 * `kind version` prints it ("kind v0.32.0 go1.x linux/amd64", pkg/cmd/kind/version/version.go).
 */
export const KIND_VERSION = '0.32.0';

/**
 * The node image kind v0.32.0 defaults to, with its digest: pkg/apis/config/defaults/image.go at
 * tag v0.32.0. Always passed explicitly (`--image`) so a different kind binary on PATH cannot
 * silently change the Kubernetes version.
 */
export const KIND_NODE_IMAGE =
  'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5';
