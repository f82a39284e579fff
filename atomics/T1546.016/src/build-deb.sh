#!/bin/sh
# Builds the benign scenario's Debian package (src/benign_deb) with dpkg-deb into OUT_DIR.
# The tree is copied first so the maintainer scripts get the modes dpkg-deb requires (0755)
# whatever the checkout did with them.
# Usage: build-deb.sh OUT_DIR
set -eu
SRC=$(cd "$(dirname "$0")" && pwd)/benign_deb
OUT=${1:?usage: build-deb.sh OUT_DIR}
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cp -R "$SRC" "$TMP/pkg"
chmod 0755 "$TMP/pkg/DEBIAN" "$TMP/pkg/DEBIAN/postinst" "$TMP/pkg/DEBIAN/postrm"
dpkg-deb --root-owner-group --build "$TMP/pkg" "$TMP/atomic-lab-vendor-agent.deb" >/dev/null
dpkg-deb --info "$TMP/atomic-lab-vendor-agent.deb" | grep -q ' postinst' || { echo "build-deb.sh: postinst missing from the package" >&2; exit 1; }
mv -f "$TMP/atomic-lab-vendor-agent.deb" "$OUT/atomic-lab-vendor-agent.deb"
echo "build-deb.sh: built $OUT/atomic-lab-vendor-agent.deb"
