#!/usr/bin/env bash
# Install a released bedrock-migrate binary (what action.yml runs; usable on its own):
#
#   release/install.sh VERSION DIR
#
# downloads bedrock-migrate-VERSION-TARGET.tar.gz (.zip on Windows) for this machine from
# the GitHub release of REPOSITORY (default: $GITHUB_ACTION_REPOSITORY, then
# $GITHUB_REPOSITORY), checks it against its .sha256 file, and unpacks the binary into DIR
# (created). Prints the binary's path. BEDROCK_MIGRATE_DOWNLOAD_BASE replaces
# https://github.com/REPOSITORY/releases/download/vVERSION (a mirror, or file:// in tests).
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 VERSION DIR" >&2
  exit 2
fi
version=${1#v} dir=$2
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-musl ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  MINGW*-x86_64 | MSYS*-x86_64 | CYGWIN*-x86_64) target=x86_64-pc-windows-msvc ;;
  *)
    echo "error: no release binary for $(uname -s) $(uname -m); install with: cargo install bedrock-migrate" >&2
    exit 2
    ;;
esac
case "$target" in
  *windows*) archive="bedrock-migrate-$version-$target.zip" exe=bedrock-migrate.exe ;;
  *) archive="bedrock-migrate-$version-$target.tar.gz" exe=bedrock-migrate ;;
esac
repository=${REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-${GITHUB_REPOSITORY:-}}}
base=${BEDROCK_MIGRATE_DOWNLOAD_BASE:-}
if [ -z "$base" ]; then
  if [ -z "$repository" ]; then
    echo "error: which repository's releases? set REPOSITORY=owner/name" >&2
    exit 2
  fi
  base="https://github.com/$repository/releases/download/v$version"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for file in "$archive" "$archive.sha256"; do
  curl --fail --silent --show-error --location --retry 3 -o "$work/$file" "$base/$file"
done
if command -v sha256sum >/dev/null; then check=(sha256sum); else check=(shasum -a 256); fi
if ! (cd "$work" && "${check[@]}" -c --quiet "$archive.sha256" >/dev/null); then
  echo "error: $archive does not match its published checksum; nothing installed" >&2
  exit 1
fi
case "$archive" in
  *.zip) (cd "$work" && 7z x -bso0 -bsp0 "$archive" >/dev/null) ;;
  *) tar -C "$work" -xzf "$work/$archive" ;;
esac
mkdir -p "$dir"
cp "$work/bedrock-migrate-$version-$target/$exe" "$dir/$exe"
chmod 755 "$dir/$exe"
echo "$(cd "$dir" && pwd)/$exe"
