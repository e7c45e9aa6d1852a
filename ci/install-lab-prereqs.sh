#!/usr/bin/env bash
# Installs what the offline lab needs on a Debian machine (idempotent; root only when something
# must be installed or started):
# Docker engine (Debian's docker.io), debootstrap (builds the lab image from Debian packages),
# Chromium (browser probe). Starts dockerd in the background when no engine answers.
set -euo pipefail

DOCKER_WAIT_SECONDS="${DOCKER_WAIT_SECONDS:-60}"
PACKAGES=(docker.io debootstrap chromium ca-certificates tar tmux)

as_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-lab-prereqs: $1 needs root: run \`sudo bash ci/install-lab-prereqs.sh\`, then retry" >&2
    exit 2
  fi
}

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  as_root "installing ${missing[*]}"
  echo "install-lab-prereqs: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y "${missing[@]}"
else
  echo "install-lab-prereqs: packages present (${PACKAGES[*]})"
fi

if docker info >/dev/null 2>&1; then
  echo "install-lab-prereqs: Docker engine answers"
  exit 0
fi

# No engine: start Debian's dockerd ourselves (no systemd in containers and CI sandboxes).
as_root "starting dockerd"
if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "install-lab-prereqs: starting dockerd in the background (log: /tmp/dockerd.log)"
  nohup dockerd >/tmp/dockerd.log 2>&1 &
fi
for _ in $(seq 1 "$DOCKER_WAIT_SECONDS"); do
  if docker info >/dev/null 2>&1; then
    echo "install-lab-prereqs: Docker engine answers"
    exit 0
  fi
  sleep 1
done
echo "install-lab-prereqs: Docker engine did not answer within ${DOCKER_WAIT_SECONDS}s." >&2
echo "  Last lines of /tmp/dockerd.log:" >&2
tail -n 20 /tmp/dockerd.log >&2 || true
echo "  Next: check the log above (storage driver, iptables, cgroups), start Docker yourself, then rerun." >&2
exit 1
