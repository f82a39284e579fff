#!/bin/sh
# PID 1 of a sandbox's fresh namespaces (session.ts starts it with `unshare --fork --pid --mount
# --net --uts --ipc`, plus `--map-root-user` when the harness is not root). Builds the sandbox root
# and hands over to inner.sh inside it:
# - the root is a tmpfs holding one overlay per top-level folder of the host (lower = the host's
#   folder, upper = $AL_WORK/upper/<folder>), so every write lands in an upper layer and nothing
#   reaches the host (lab-recipes §5; docs.kernel.org overlayfs.html). One overlay per folder
#   rather than one over / because an unprivileged user namespace cannot use / as a lower layer
#   (its proc/sys/dev sub-mounts are locked: "overlayfs: failed to clone lowerpath", measured); a
#   folder whose overlay is refused for the same reason is shown read-only instead;
# - private /proc (the new PID namespace), a minimal /dev, read-only /sys, tmpfs /tmp and /run;
# - the binds in $AL_BINDS, one per line, tab-separated `<mode> <source> <target>`:
#   rw = the host path, writable through (the run folder; the payload cache while fetching
#   prerequisites), ro = the host path read-only, cow = the host path under its own overlay
#   (upper = $AL_WORK/binds/<n>/upper): readable, writes kept in the sandbox.
# The mount namespace is private (util-linux unshare's default propagation), so all of this
# vanishes with the namespace.
set -eu
W=$AL_WORK
R=$W/root
OPT=${AL_OVERLAY_OPTS:-}
mkdir -p "$W/upper" "$W/ovlwork" "$R"
mount -t tmpfs -o mode=0755 tmpfs "$R"
for entry in /* /.[!.]*; do
  [ -e "$entry" ] || [ -L "$entry" ] || continue
  name=${entry#/}
  case $name in proc|sys|dev|tmp|run) continue ;; esac
  if [ -L "$entry" ]; then
    cp -P "$entry" "$R/$name"
  elif [ -d "$entry" ]; then
    mkdir -p "$R/$name" "$W/upper/$name" "$W/ovlwork/$name"
    mount -t overlay overlay -o "lowerdir=$entry,upperdir=$W/upper/$name,workdir=$W/ovlwork/$name$OPT" "$R/$name" 2>/dev/null || {
      mount --rbind "$entry" "$R/$name"
      mount -o remount,bind,ro "$R/$name" 2>/dev/null || true
    }
  else
    : > "$R/$name"
    mount --bind "$entry" "$R/$name"
  fi
done
mkdir -p "$R/proc" "$R/sys" "$R/dev" "$R/tmp" "$R/run"
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
mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"
mount -t tmpfs -o mode=0755 tmpfs "$R/run"
TAB=$(printf '\t')
n=0
printf '%s\n' "${AL_BINDS:-}" | while IFS="$TAB" read -r mode src dst; do
  [ -n "$mode" ] || continue
  n=$((n + 1))
  if [ -d "$src" ]; then mkdir -p "$R$dst"; else mkdir -p "$(dirname "$R$dst")"; : > "$R$dst"; fi
  if [ "$mode" = cow ]; then
    mkdir -p "$W/binds/$n/upper" "$W/binds/$n/work"
    mount -t overlay overlay -o "lowerdir=$src,upperdir=$W/binds/$n/upper,workdir=$W/binds/$n/work$OPT" "$R$dst"
  else
    mount --bind "$src" "$R$dst"
    if [ "$mode" = ro ]; then mount -o remount,bind,ro "$R$dst"; fi
  fi
done
exec chroot "$R" /bin/sh "$AL_INNER"
