#!/usr/bin/env bash
# `make image`: builds the production image from the Dockerfile, unchanged, with buildah
# (no Docker daemon): vfs storage and chroot isolation, so it works as root on any Debian
# machine, in a container or not. The result is backtp:test in buildah's storage under
# $BACKTP_IMAGE_CACHE (default /var/cache/backtp-image).
#
# The base, python:3.13-slim, is pulled when a registry answers within a few seconds.
# Otherwise an equivalent local base is built: Debian trixie (Python 3.13, as the official
# image) from debootstrap, the machine's CA bundle, and a virtualenv whose bin comes first
# on PATH, so `python` and `pip` behave as in the official image. The debootstrap folder
# and that base are cached, keyed by the suite and the date of its Release file (so a new
# package list makes a new base); older ones are removed.
#
# Environment: BACKTP_IMAGE_BASE=auto (default) | pull | local; BACKTP_IMAGE_CACHE;
# BACKTP_IMAGE_TAG (default backtp:test); BACKTP_IMAGE_PULL_TIMEOUT (seconds, default 15).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/image-common.sh
. scripts/image-common.sh

MODE=${BACKTP_IMAGE_BASE:-auto}
PULL_TIMEOUT=${BACKTP_IMAGE_PULL_TIMEOUT:-15}
SUITE=trixie
MIRROR=http://deb.debian.org/debian
BASE=python:3.13-slim
UPSTREAM=docker.io/library/$BASE

started=$(date +%s)
image_tools

base_from_registry() {
  step "pulling $UPSTREAM (at most ${PULL_TIMEOUT}s)"
  if timeout "$PULL_TIMEOUT" "${BUILDAH[@]}" pull --quiet "$UPSTREAM" >/dev/null 2>"$CACHE/pull.log"; then
    "${BUILDAH[@]}" rmi "localhost/$BASE" >/dev/null 2>&1 || true  # the short name is the real one
    note "using the real $BASE"
    return 0
  fi
  note "no registry reachable ($(tail -n 1 "$CACHE/pull.log" | cut -c1-120)); building a local base"
  return 1
}

base_from_debootstrap() {
  # The key: the suite and the date of its Release file (the package list). Unreadable
  # (no network to the mirror): today's date, so a cache never outlives a day unchecked.
  local release key rootfs image
  release=$(curl -fsS --max-time 10 "$MIRROR/dists/$SUITE/InRelease" 2>/dev/null \
    | sed -n 's/^Date: //p' | head -n 1) || true
  if [ -n "$release" ]; then
    key=$(date -u -d "$release" +%Y%m%dT%H%M%S)
  else
    key=$(date -u +%Y%m%d)
  fi
  rootfs="$CACHE/rootfs-$SUITE-$key"
  image="localhost/backtp-base:$SUITE-$key"

  if ! "${BUILDAH[@]}" inspect --type image "$image" >/dev/null 2>&1; then
    if [ ! -f "$rootfs/.complete" ]; then
      step "debootstrap $SUITE ($key) into $rootfs (about a minute)"
      rm -rf "$rootfs" "$rootfs.partial"
      debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
        "$SUITE" "$rootfs.partial" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
        || fail "debootstrap failed, see $CACHE/debootstrap.log: $(tail -n 3 "$CACHE/debootstrap.log")"
      rm -rf "$rootfs.partial/var/cache/apt/archives/"*.deb "$rootfs.partial/var/lib/apt/lists/"*
      touch "$rootfs.partial/.complete"
      mv "$rootfs.partial" "$rootfs"
    else
      note "debootstrap folder cached: $rootfs"
    fi
    step "building the local base $image"
    local ctr mnt
    ctr=$("${BUILDAH[@]}" from scratch)
    mnt=$("${BUILDAH[@]}" mount "$ctr")
    cp -a "$rootfs/." "$mnt/"
    rm -f "$mnt/.complete"
    # The machine's CA bundle: on a network that inspects TLS, pip reaches the index with it.
    cp /etc/ssl/certs/ca-certificates.crt "$mnt/etc/ssl/certs/ca-certificates.crt"
    # python:3.13-slim has python and pip first on PATH; a virtualenv's bin does the same.
    chroot "$mnt" python3 -m venv /usr/local/python >"$CACHE/venv.log" 2>&1 \
      || fail "creating the virtualenv failed: $(tail -n 3 "$CACHE/venv.log")"
    "${BUILDAH[@]}" umount "$ctr" >/dev/null
    "${BUILDAH[@]}" config \
      --env PATH=/usr/local/python/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      --env LANG=C.UTF-8 --cmd python3 \
      --label "org.opencontainers.image.description=local stand-in for $BASE: debootstrap $SUITE $key" \
      "$ctr"
    "${BUILDAH[@]}" commit --quiet --format docker --rm "$ctr" "$image" >/dev/null
    # Older bases and folders are stale: their package lists are older.
    local old
    for old in $("${BUILDAH[@]}" images --format '{{.Name}}:{{.Tag}}' | grep '^localhost/backtp-base:' || true); do
      [ "$old" = "$image" ] || "${BUILDAH[@]}" rmi "$old" >/dev/null 2>&1 || true
    done
    find "$CACHE" -maxdepth 1 -name "rootfs-*" ! -path "$rootfs" -exec rm -rf {} +
  else
    note "local base cached: $image"
  fi
  "${BUILDAH[@]}" tag "$image" "localhost/$BASE"
  "${BUILDAH[@]}" rmi "$UPSTREAM" >/dev/null 2>&1 || true  # so the short name means this one
  note "using the local base $image as $BASE"
}

case "$MODE" in
  pull) base_from_registry || fail "could not pull $UPSTREAM" ;;
  local) base_from_debootstrap ;;
  auto) base_from_registry || base_from_debootstrap ;;
  *) fail "BACKTP_IMAGE_BASE must be auto, pull or local, not $MODE" ;;
esac
base_done=$(date +%s)

step "buildah bud -t $TAG . (the Dockerfile, unchanged)"
# The previous build's image is replaced, not kept: vfs stores every image whole.
"${BUILDAH[@]}" rmi -f "$TAG" >/dev/null 2>&1 || true
"${BUILDAH[@]}" bud --pull=never --network host --format docker --layers=false \
  -t "$TAG" . >"$CACHE/build.log" 2>&1 \
  || fail "the image did not build, see $CACHE/build.log:
$(tail -n 20 "$CACHE/build.log")"
done_at=$(date +%s)
note "built $TAG: base $((base_done - started)) s, build $((done_at - base_done)) s, total $((done_at - started)) s"
