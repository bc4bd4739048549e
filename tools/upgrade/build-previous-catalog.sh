#!/usr/bin/env bash
# Builds the runnable floe.jar of an earlier catalog commit, for the rolling-upgrade test
# (catalog/src/test/java/dev/floe/catalog/store/RollingUpgradeIT.java), and caches it as
# ~/.cache/floe-prev-<commit>.jar. The commit's tree is exported with `git archive` (no worktree,
# no checkout) into a temporary directory and built there with the Maven wrapper, tests skipped.
# Idempotent: a cached jar is printed at once. .ci/run calls it so the test never waits on a build.
# Usage: tools/upgrade/build-previous-catalog.sh [commit]   (default: PREVIOUS_COMMIT below)
# Prints the jar's path on its last line.
set -euo pipefail

# The catalog before migration V2__object_locations: the version a rolling upgrade starts from.
PREVIOUS_COMMIT=7abba99

commit="${1:-$PREVIOUS_COMMIT}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$HOME/.cache/floe-prev-$commit.jar"
if [[ -s "$jar" ]]; then
  echo "previous catalog up to date:"; echo "$jar"; exit 0
fi
git -C "$repo" cat-file -e "$commit^{commit}" || { echo "build-previous-catalog.sh: no commit $commit in $repo" >&2; exit 1; }
src="$(mktemp -d "${TMPDIR:-/tmp}/floe-prev-$commit.XXXXXX")"
trap 'rm -rf "$src"' EXIT
start=$SECONDS
git -C "$repo" archive "$commit" | tar -x -C "$src"
(cd "$src" && ./mvnw -B -q -pl catalog -am -DskipTests -Dfloe.images.skip=true package)
mkdir -p "$(dirname "$jar")"
cp "$src/catalog/target/floe.jar" "$jar.tmp" && mv "$jar.tmp" "$jar"
echo "built floe.jar of $commit in $((SECONDS - start)) s:"
echo "$jar"
