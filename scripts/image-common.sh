# Shared by scripts/image-build.sh and scripts/image-test.sh (sourced, not run).
# buildah with its own storage (vfs: no overlay or fuse needed) and chroot isolation (no
# user namespaces or runc needed), so it runs as root on any Debian machine, in a
# container too, and never touches another tool's images.
CACHE=${BACKTP_IMAGE_CACHE:-/var/cache/backtp-image}
TAG=${BACKTP_IMAGE_TAG:-backtp:test}
export BUILDAH_ISOLATION=chroot STORAGE_DRIVER=vfs
BUILDAH=(buildah --root "$CACHE/storage" --runroot /run/backtp-image --storage-driver vfs)

step() { printf -- '--- image: %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
fail() {
  printf '\nIMAGE FAILURE: %s\n' "$*" >&2
  exit 1
}

# buildah and debootstrap from Debian's packages when missing (CI installs them this way).
image_tools() {
  [ "$(id -u)" = 0 ] || fail "building and running the image needs root (buildah with chroot isolation)"
  local missing=()
  command -v buildah >/dev/null 2>&1 || missing+=(buildah)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing ${missing[*]} (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
      || fail "apt-get install ${missing[*]} failed"
  fi
  mkdir -p "$CACHE"
}
