#!/usr/bin/env bash
# Pack a release binary the way .github/workflows/release.yml publishes it:
#
#   release/archive.sh TARGET BINARY OUTDIR
#
# writes OUTDIR/bedrock-migrate-VERSION-TARGET.tar.gz (.zip for Windows targets) holding
# bedrock-migrate-VERSION-TARGET/{bedrock-migrate[.exe],README.md,LICENSE}, and next to it
# a `.sha256` file in the format `sha256sum -c` checks. Prints the archive's path.
# VERSION is Cargo.toml's. Runs on Linux, macOS and Windows (Git Bash) runners.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 TARGET BINARY OUTDIR" >&2
  exit 2
fi
target=$1 binary=$2 outdir=$3
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
if [ -z "$version" ]; then
  echo "error: no version in Cargo.toml" >&2
  exit 2
fi
if [ ! -f "$binary" ]; then
  echo "error: $binary: no such file" >&2
  exit 2
fi
name="bedrock-migrate-$version-$target"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
case "$target" in
  *windows*) exe=bedrock-migrate.exe ;;
  *) exe=bedrock-migrate ;;
esac
cp "$binary" "$stage/$name/$exe"
chmod 755 "$stage/$name/$exe"
cp README.md LICENSE "$stage/$name/"
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
case "$target" in
  *windows*)
    archive="$name.zip"
    (cd "$stage" && 7z a -bso0 -bsp0 "$outdir/$archive" "$name" >/dev/null)
    ;;
  *)
    archive="$name.tar.gz"
    tar -C "$stage" -czf "$outdir/$archive" "$name"
    ;;
esac
if command -v sha256sum >/dev/null; then
  (cd "$outdir" && sha256sum "$archive" > "$archive.sha256")
else
  (cd "$outdir" && shasum -a 256 "$archive" > "$archive.sha256")
fi
echo "$outdir/$archive"
