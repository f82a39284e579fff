#!/bin/sh
# PID 1 of a sandbox's fresh namespaces (session.ts starts it with `unshare --fork --pid --mount
# --net --uts --ipc`). Builds the sandbox root and hands over to inner.sh inside it:
# - / is an overlay: lower = the host's root, upper = $AL_WORK/upper, so every write lands in the
#   upper layer and nothing reaches the host (lab-recipes §5; docs.kernel.org overlayfs.html);
# - private /proc (the new PID namespace), a minimal /dev, read-only /sys, a tmpfs /tmp;
# - the binds in $AL_BINDS, one per line, tab-separated `<mode> <source> <target>`:
#   rw  = the host path, writable through (the run folder, the payload cache while fetching
#         prerequisites), ro = the host path read-only, cow = the overlay's own view of <source>
#         (writes land in the upper layer).
# The mount namespace is private (util-linux unshare's default propagation), so all of this
# vanishes with the namespace.
set -eu
W=$AL_WORK
R=$W/root
mkdir -p "$W/upper" "$W/ovlwork" "$R"
mount -t overlay overlay -o "lowerdir=/,upperdir=$W/upper,workdir=$W/ovlwork" "$R"
mount -t proc proc "$R/proc"
mount -t tmpfs -o mode=0755,nosuid tmpfs "$R/dev"
for d in null zero full random urandom tty; do
  : > "$R/dev/$d"
  mount --bind "/dev/$d" "$R/dev/$d"
done
mkdir "$R/dev/pts" "$R/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$R/dev/pts" 2>/dev/null || true
ln -s pts/ptmx "$R/dev/ptmx"
mount -t tmpfs -o mode=1777 tmpfs "$R/dev/shm"
ln -s /proc/self/fd "$R/dev/fd"
ln -s /proc/self/fd/0 "$R/dev/stdin"
ln -s /proc/self/fd/1 "$R/dev/stdout"
ln -s /proc/self/fd/2 "$R/dev/stderr"
mount --rbind /sys "$R/sys"
mount -o remount,bind,ro "$R/sys" 2>/dev/null || true
TAB=$(printf '\t')
printf '%s\n' "${AL_BINDS:-}" | while IFS="$TAB" read -r mode src dst; do
  [ -n "$mode" ] || continue
  [ "$mode" = cow ] && src=$R$src
  if [ -d "$src" ]; then mkdir -p "$R$dst"; else mkdir -p "$(dirname "$R$dst")"; : > "$R$dst"; fi
  mount --bind "$src" "$R$dst"
  if [ "$mode" = ro ]; then mount -o remount,bind,ro "$R$dst"; fi
done
# after the binds, so a cow source under /tmp is still the overlay's view of the host's /tmp
mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"
exec chroot "$R" /bin/sh "$AL_INNER"
