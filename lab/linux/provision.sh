#!/bin/sh
# Telemetry provisioning of the Linux lab machine (Vagrantfile: linux), run as root by Vagrant's
# shell provisioner; also usable on any Debian/Ubuntu host meant for the ssh target. Idempotent.
#
#  - auditd running (the lab runner, lab/linux/run-atomic.sh, loads its own rules per test with a
#    per-run key and exports only those records with ausearch), python3-pip/-venv and curl for
#    T1546.016 test 2;
#  - the working folders the harness uploads into: /opt/atomic-lab/atomics (PathToAtomicsFolder) and
#    /opt/atomic-lab/ExternalPayloads, with test 2's venv already made (as in the QEMU image recipe,
#    lab/qemu/recipe.yaml), so no prerequisite has to be fetched during a test.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends auditd python3 python3-pip python3-venv python3-setuptools curl ca-certificates
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl enable --now auditd
else
  pidof auditd >/dev/null || auditd
fi
auditctl -s | grep -q 'enabled 1' || { echo "auditd is not enabled (auditctl -s)" >&2; exit 1; }
mkdir -p /opt/atomic-lab/atomics /opt/atomic-lab/ExternalPayloads/T1546.016 /opt/atomic-lab/runs
[ -x /opt/atomic-lab/ExternalPayloads/T1546.016/venv/bin/pip ] || python3 -m venv /opt/atomic-lab/ExternalPayloads/T1546.016/venv
echo "atomic-lab: telemetry provisioning done ($(auditctl -v))"
