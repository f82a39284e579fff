#!/bin/sh
# Runs one atomic test on a Linux lab machine under auditd and collects what it left behind.
# Used by every Linux target that is a real machine: the QEMU lab VM (called by its PID 1,
# lab/qemu/init), ssh hosts and the Vagrant Linux box (uploaded and run as root).
#
#   run-atomic.sh JOB_DIR OUT_DIR
#
# JOB_DIR (written by the harness, harness/targets/ssh/linux-job.ts):
#   job.env      shell assignments: ATOMIC_RUN_ID, ATOMIC_EXECUTOR (sh|bash), ATOMIC_TIMEOUT (s),
#                ATOMIC_DEP_EXECUTOR (executor of the prerequisite commands), ATOMIC_GET_PREREQS
#                (1: run get_prereq_command for unmet prerequisites), ATOMIC_AUDIT_KEY (rule key
#                prefix), ATOMIC_AUDIT (1: load this run's audit rules; 0: the machine has no auditd
#                sensor), ATOMIC_AUDIT_EXPORT (ausearch|none), ATOMIC_WATCH_DIRS (space-separated
#                folders whose file creations are audited), optional ATOMIC_LISTENER_PORT and
#                ATOMIC_LISTENER_SERVE (the loopback callback listener, listener.py), optional
#                ATOMIC_CHANGED_FILES (space-separated file systems to list the files the test
#                created or changed in, e.g. "/ /tmp" on the QEMU VM; empty on shared machines),
#                optional ATOMIC_PAYLOADS_DIR (a persistent ExternalPayloads folder of the machine,
#                linked as JOB_DIR/../ExternalPayloads, i.e. PathToAtomicsFolder/../ExternalPayloads)
#   test.env     `export NAME='value'` lines for the test's own environment (may be empty)
#   command      the test command after argument substitution, run as `<executor> -c <command>`
#                (as Invoke-AtomicRedTeam does, reference/atomics.md §3.2). Absent: check the
#                prerequisites only.
#   cleanup      cleanup command (may be empty), same executor
#   prereq/ID.check, prereq/ID.get, prereq/ID.executor (optional)   one ART dependency each
#   collect      one path per line; each existing file is copied to OUT_DIR/collected/ (name:
#                the path with / as %2F), after the command and before the cleanup
#   audit.rules  the rule template (lab/linux/audit.rules); listener.py
# OUT_DIR (read back by the harness, harness/targets/ssh/runner-output.ts): status,
#   <step>.stdout/.stderr for every step, audit.log, callbacks.jsonl, collected/, runner.log,
#   changed-files.txt
# `status` holds key=value lines: step.<step>.started/.finished (epoch seconds with nanoseconds
# from the machine's clock) and .rc for every command run; prereq.<ID>=met|fetched|missing.
set -u
JOB=$1
OUT=$2
mkdir -p "$OUT/collected"
LOG="$OUT/runner.log"
say() { echo "ATOMIC: $*"; echo "$*" >> "$LOG"; }
now() { date +%s.%N; }
status() { echo "$1=$2" >> "$OUT/status"; }

. "$JOB/job.env"
: "${ATOMIC_EXECUTOR:=sh}" "${ATOMIC_TIMEOUT:=120}" "${ATOMIC_AUDIT:=1}" "${ATOMIC_AUDIT_EXPORT:=ausearch}"
: "${ATOMIC_WATCH_DIRS:=/tmp}" "${ATOMIC_LISTENER_PORT:=}" "${ATOMIC_LISTENER_SERVE:=}"
: "${ATOMIC_DEP_EXECUTOR:=$ATOMIC_EXECUTOR}" "${ATOMIC_GET_PREREQS:=0}" "${ATOMIC_CHANGED_FILES:=}" "${ATOMIC_PAYLOADS_DIR:=}"
KEY=$ATOMIC_AUDIT_KEY
KEYS="${KEY}_exec ${KEY}_net ${KEY}_file"
status run_id "$ATOMIC_RUN_ID"
status hostname "$(hostname)"
status kernel "$(uname -r)"
status timeout "$ATOMIC_TIMEOUT"

# step NAME EXECUTOR FILE: runs the command in FILE with a timeout, output to NAME.stdout/.stderr.
# $0 of the shell is atomic-lab-<run id>, so the run marker is on the shell's own command line
# (and so in the audit EXECVE record), as in the sandbox target.
step() {
  status "step.$1.started" "$(now)"
  ( cd "$JOB/work" && . "$JOB/test.env" && exec timeout -s KILL "$ATOMIC_TIMEOUT" "$2" -c "$(cat "$3")" "atomic-lab-$ATOMIC_RUN_ID" ) \
    > "$OUT/$1.stdout" 2> "$OUT/$1.stderr" < /dev/null
  rc=$?
  status "step.$1.finished" "$(now)"
  status "step.$1.rc" "$rc"
  return $rc
}
mkdir -p "$JOB/work"
if [ -n "$ATOMIC_PAYLOADS_DIR" ]; then
  mkdir -p "$ATOMIC_PAYLOADS_DIR"
  ln -sfn "$ATOMIC_PAYLOADS_DIR" "$JOB/../ExternalPayloads"
fi

# --- prerequisites: prereq_command, then (if allowed) get_prereq_command and a second check ------
PREREQS=met
for check in $(ls "$JOB/prereq" 2>/dev/null | grep '\.check$' | sort -V); do
  id=${check%.check}
  ex=$ATOMIC_DEP_EXECUTOR
  [ -s "$JOB/prereq/$id.executor" ] && ex=$(cat "$JOB/prereq/$id.executor")
  if step "prereq-$id-check" "$ex" "$JOB/prereq/$check"; then
    status "prereq.$id" met
  elif [ "$ATOMIC_GET_PREREQS" = 1 ] && [ -s "$JOB/prereq/$id.get" ]; then
    step "prereq-$id-get" "$ex" "$JOB/prereq/$id.get"
    if step "prereq-$id-recheck" "$ex" "$JOB/prereq/$check"; then status "prereq.$id" fetched
    else status "prereq.$id" missing; PREREQS=missing; fi
  else
    status "prereq.$id" missing; PREREQS=missing
  fi
done
status prereqs "$PREREQS"

if [ ! -f "$JOB/command" ]; then
  say "prerequisites checked ($PREREQS)"
elif [ "$PREREQS" != met ]; then
  say "prerequisites not met: test not run"
else
  # --- audit rules of this run only (loaded after the prerequisites, deleted before the cleanup) --
  if [ "$ATOMIC_AUDIT" = 1 ]; then
    RULES="$OUT/audit.rules.loaded"
    : > "$RULES"
    while IFS= read -r line; do
      case "$line" in
        ''|'#'*) continue ;;
        *@DIR@*) for d in $ATOMIC_WATCH_DIRS; do mkdir -p "$d"; echo "$line" | sed "s|@DIR@|$d|g; s|@KEY@|$KEY|g" >> "$RULES"; done ;;
        *) echo "$line" | sed "s|@KEY@|$KEY|g" >> "$RULES" ;;
      esac
    done < "$JOB/audit.rules"
    if auditctl -R "$RULES" >> "$LOG" 2>&1; then status audit loaded; else status audit failed; say "error auditctl -R failed"; fi
  else
    status audit off
  fi

  # --- the loopback callback listener ------------------------------------------------------------
  LISTENER_PID=
  if [ -n "$ATOMIC_LISTENER_PORT" ]; then
    python3 "$JOB/listener.py" --port "$ATOMIC_LISTENER_PORT" --log "$OUT/callbacks.jsonl" \
      --serve "$ATOMIC_LISTENER_SERVE" --ready "$OUT/listener.ready" > "$OUT/listener.log" 2>&1 &
    LISTENER_PID=$!
    i=0
    while [ ! -e "$OUT/listener.ready" ] && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
    if [ -e "$OUT/listener.ready" ]; then status listener "$ATOMIC_LISTENER_PORT"; rm -f "$OUT/listener.ready"
    else status listener failed; say "error the callback listener did not start"; fi
  fi

  # --- the test ------------------------------------------------------------------------------------
  say "test start $ATOMIC_RUN_ID"
  touch "$OUT/.stamp"
  step test "$ATOMIC_EXECUTOR" "$JOB/command"
  say "test rc=$?"
  if [ -n "$ATOMIC_CHANGED_FILES" ]; then
    # -xdev per starting point: each named file system, without /proc, /sys or this output folder
    find $ATOMIC_CHANGED_FILES -xdev -newer "$OUT/.stamp" -type f 2>/dev/null | grep -v "^$OUT/" | sort > "$OUT/changed-files.txt"
  fi

  # proof files, before the cleanup command can remove them
  while IFS= read -r p; do
    [ -n "$p" ] && [ -f "$p" ] && cp "$p" "$OUT/collected/$(printf '%s' "$p" | sed 's|/|%2F|g')" && status collected "$p"
  done < "$JOB/collect"
  [ -n "$LISTENER_PID" ] && kill "$LISTENER_PID" 2>/dev/null
  if [ "$ATOMIC_AUDIT" = 1 ]; then
    for k in $KEYS; do auditctl -D -k "$k" >/dev/null 2>&1; done   # a bare -D would drop others' rules
  fi

  # --- cleanup (not audited) -------------------------------------------------------------------------
  [ -s "$JOB/cleanup" ] && step cleanup "$ATOMIC_EXECUTOR" "$JOB/cleanup"

  # --- telemetry -------------------------------------------------------------------------------------
  if [ "$ATOMIC_AUDIT" = 1 ] && [ "$ATOMIC_AUDIT_EXPORT" = ausearch ]; then
    # a shared machine: only the records of this run's keys (--input-logs: stdin is not a tty)
    : > "$OUT/audit.log"
    for k in $KEYS; do ausearch --input-logs --raw -k "$k" >> "$OUT/audit.log" 2>> "$LOG"; done
  fi
  # ATOMIC_AUDIT_EXPORT=none: a machine of our own (the QEMU VM), whose PID 1 takes the whole log
fi
status done "$(now)"
say "done"
