#!/bin/sh
# Second stage of a sandbox's PID 1, inside the overlay root (see init.sh): loopback up (a new
# network namespace has only `lo`, and it is down: lab-recipes §5), private host name, the
# callback listener on loopback, then `READY` to the harness and wait. PID 1 becomes `cat`
# reading the harness's pipe: when the harness closes it (or dies), PID 1 exits and the kernel
# kills every process of the namespace.
set -eu
ip link set lo up
hostname "$AL_HOSTNAME"
if [ -n "${AL_LISTENER:-}" ]; then
  python3 "$AL_LISTENER" --port "$AL_PORT" --log "$AL_RUN/callbacks.jsonl" --serve "$AL_SERVE" \
    --ready "$AL_RUN/listener.ready" > "$AL_RUN/listener.log" 2>&1 &
  i=0
  while [ ! -e "$AL_RUN/listener.ready" ]; do
    i=$((i + 1))
    if [ "$i" -gt 400 ]; then echo "callback listener did not start:" >&2; cat "$AL_RUN/listener.log" >&2; exit 1; fi
    sleep 0.025
  done
fi
echo READY
exec cat > /dev/null
