#!/bin/sh
# Runs one atomic test on a Linux lab machine under auditd and collects what it left behind.
# Used by every Linux target that is a real machine: the QEMU lab VM (called by its PID 1,
# lab/qemu/init), ssh hosts and the Vagrant Linux box (uploaded and run with sudo).
#
#   run-atomic.sh JOB_DIR OUT_DIR
#
# JOB_DIR (written by the harness):
#   job.env      shell assignments: ATOMIC_RUN_ID, ATOMIC_EXECUTOR (sh|bash), ATOMIC_TIMEOUT (s),
#                ATOMIC_DEP_EXECUTOR (executor of the prerequisite commands), ATOMIC_GET_PREREQS
#                (1: run get_prereq_command for unmet prerequisites), ATOMIC_AUDIT_KEY (rule key
#                prefix), ATOMIC_AUDIT_EXPORT (ausearch|none), ATOMIC_WATCH_DIRS (space-separated
#                folders whose file creations are audited), optional ATOMIC_LISTENER_PORT and
#                ATOMIC_LISTENER_SERVE (the loopback callback listener, listener.py)
#   test.env     `export NAME='value'` lines for the test's own environment (may be empty)
#   command      the test command after argument substitution, run as `<executor> -c <command>`
#                (as Invoke-AtomicRedTeam does, reference/atomics.md §3.2)
#   cleanup      optional cleanup command, same executor
#   prereq/N.check, prereq/N.get   dependency N's prereq_command and get_prereq_command
#   collect      optional: one path per line; each existing file is copied to
#                OUT_DIR/collected/<path with / replaced by %2F>
#   audit.rules  the rule template (lab/linux/audit.rules); listener.py
# OUT_DIR (read back by the harness): status, test.stdout/.stderr, cleanup.stdout/.stderr,
#   prereq-N-check.stdout/.stderr ..., audit.log, callbacks.jsonl, collected/, runner.log
# `status` is key=value lines; times are epoch seconds with nanoseconds from the machine's clock.
set -u
JOB=$1
OUT=$2
mkdir -p "$OUT/collected"
LOG="$OUT/runner.log"
say() { echo "ATOMIC: $*"; echo "$*" >> "$LOG"; }
now() { date +%s.%N; }
status() { echo "$1=$2" >> "$OUT/status"; }

. "$JOB/job.env"
: "${ATOMIC_EXECUTOR:=sh}" "${ATOMIC_TIMEOUT:=120}" "${ATOMIC_AUDIT_EXPORT:=ausearch}"
: "${ATOMIC_WATCH_DIRS:=/tmp}" "${ATOMIC_LISTENER_PORT:=}" "${ATOMIC_LISTENER_SERVE:=}"
: "${ATOMIC_DEP_EXECUTOR:=$ATOMIC_EXECUTOR}" "${ATOMIC_GET_PREREQS:=0}"
KEY=$ATOMIC_AUDIT_KEY
status run_id "$ATOMIC_RUN_ID"
status hostname "$(hostname)"
status kernel "$(uname -r)"

# --- prerequisites, then the test ----------------------------------------------------------------
run_cmd() { # $1 = file with the command, $2 = output name, $3 = timeout, $4 = executor
  ( cd "$JOB/work" && . "$JOB/test.env" && exec timeout -s KILL "$3" "$4" -c "$(cat "$1")" ) \
    > "$OUT/$2.stdout" 2> "$OUT/$2.stderr" < /dev/null
}
mkdir -p "$JOB/work"
PREREQS=met
for check in "$JOB"/prereq/*.check; do
  [ -f "$check" ] || continue
  n=$(basename "$check" .check)
  if run_cmd "$check" "prereq-$n-check" "$ATOMIC_TIMEOUT" "$ATOMIC_DEP_EXECUTOR"; then
    status "prereq_$n" met
  elif [ "$ATOMIC_GET_PREREQS" = 1 ] && [ -s "$JOB/prereq/$n.get" ]; then
    run_cmd "$JOB/prereq/$n.get" "prereq-$n-get" "$ATOMIC_TIMEOUT" "$ATOMIC_DEP_EXECUTOR"
    if run_cmd "$check" "prereq-$n-recheck" "$ATOMIC_TIMEOUT" "$ATOMIC_DEP_EXECUTOR"; then status "prereq_$n" fetched
    else status "prereq_$n" missing; PREREQS=missing; fi
  else
    status "prereq_$n" missing; PREREQS=missing
  fi
done
status prereqs "$PREREQS"

if [ "$PREREQS" != met ]; then
  say "prerequisites not met: test not run"
else
  # --- audit rules, this run's key only ------------------------------------------------------
  RULES="$OUT/audit.rules.loaded"
  : > "$RULES"
  while IFS= read -r line; do
    case "$line" in
      ''|'#'*) continue ;;
      *@DIR@*) for d in $ATOMIC_WATCH_DIRS; do mkdir -p "$d"; echo "$line" | sed "s|@DIR@|$d|g; s|@KEY@|$KEY|g" >> "$RULES"; done ;;
      *) echo "$line" | sed "s|@KEY@|$KEY|g" >> "$RULES" ;;
    esac
  done < "$JOB/audit.rules"
  if auditctl -R "$RULES" >> "$LOG" 2>&1; then status audit loaded; else status audit failed; say "auditctl -R failed"; fi
  KEYS="${KEY}_exec ${KEY}_net ${KEY}_file"
  delete_rules() {
    # only this run's rules: a bare `auditctl -D` would remove other people's rules too
    for k in $KEYS; do auditctl -D -k "$k" >/dev/null 2>&1; done
  }

  # --- optional loopback callback listener ----------------------------------------------------
  LISTENER_PID=
  if [ -n "$ATOMIC_LISTENER_PORT" ]; then
    python3 "$JOB/listener.py" --port "$ATOMIC_LISTENER_PORT" --log "$OUT/callbacks.jsonl" \
      --serve "$ATOMIC_LISTENER_SERVE" --ready "$OUT/listener.ready" > "$OUT/listener.log" 2>&1 &
    LISTENER_PID=$!
    i=0
    while [ ! -e "$OUT/listener.ready" ] && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
    if [ -e "$OUT/listener.ready" ]; then status listener "$ATOMIC_LISTENER_PORT"; else status listener failed; say "listener did not start"; fi
  fi

  # --- the test, audited ------------------------------------------------------------------------
  say "test start $ATOMIC_RUN_ID"
  status started "$(now)"
  run_cmd "$JOB/command" test "$ATOMIC_TIMEOUT" "$ATOMIC_EXECUTOR"
  RC=$?
  status finished "$(now)"
  status exit_code "$RC"
  # timeout -s KILL reports a killed command as 137 (128 + 9)
  if [ "$RC" = 137 ]; then status timed_out true; else status timed_out false; fi
  say "test rc=$RC"

  # proof files before the cleanup command can remove them
  if [ -f "$JOB/collect" ]; then
    while IFS= read -r p; do
      [ -n "$p" ] && [ -f "$p" ] && cp "$p" "$OUT/collected/$(printf '%s' "$p" | sed 's|/|%2F|g')" && status collected "$p"
    done < "$JOB/collect"
  fi
  [ -n "$LISTENER_PID" ] && kill "$LISTENER_PID" 2>/dev/null
  delete_rules

  # --- cleanup (not audited) ------------------------------------------------------------------------
  if [ -s "$JOB/cleanup" ]; then
    status cleanup_started "$(now)"
    run_cmd "$JOB/cleanup" cleanup "$ATOMIC_TIMEOUT" "$ATOMIC_EXECUTOR"
    status cleanup_exit_code $?
  fi

  # --- telemetry --------------------------------------------------------------------------------------
  if [ "$ATOMIC_AUDIT_EXPORT" = ausearch ]; then
    # a shared machine: only the records of this run's keys (--input-logs: stdin is not a tty)
    : > "$OUT/audit.log"
    for k in $KEYS; do ausearch --input-logs --raw -k "$k" >> "$OUT/audit.log" 2>> "$LOG"; done
  fi
  # ATOMIC_AUDIT_EXPORT=none: a machine of our own (the QEMU VM), whose PID 1 takes the whole log
fi
status done "$(now)"
say "done"
