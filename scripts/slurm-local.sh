#!/usr/bin/env bash
# A one-node Slurm cluster on localhost, for tests and CI (Debian/Ubuntu, root, no systemd needed).
#
#   slurm-local.sh install   apt-get the Debian packages slurmctld slurmd slurm-client munge (if missing)
#   slurm-local.sh start     start munged + slurmctld + slurmd under $SLURM_LOCAL_DIR; idempotent
#   slurm-local.sh env       print `export SLURM_CONF=...` for sbatch/squeue/scancel (use with eval)
#   slurm-local.sh status    daemons, node and queue
#   slurm-local.sh stop      cancel jobs, stop the daemons by their recorded PIDs; idempotent
#
# Environment: SLURM_LOCAL_DIR (default /tmp/tinyrnn-slurm), SLURM_LOCAL_PORT (default 6817; moves up if busy).
#
# Why it looks the way it does: the daemons run in the foreground under setsid with their PIDs recorded, so
# `stop` never has to match process names; munged gets a private key and socket, so a system munged (if any)
# is neither needed nor disturbed; batch_sched_delay=0 removes Slurm's default 3 s pause between waves of
# array tasks.
set -euo pipefail

DIR="${SLURM_LOCAL_DIR:-/tmp/tinyrnn-slurm}"
MARKER="$DIR/.slurm-local"
CONF="$DIR/etc/slurm.conf"
PIDS="$DIR/pids"

log() { printf 'slurm-local: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# The path a live process was started from, or nothing for a dead or zombie one (zombies are reaped slowly
# when the parent is the sandbox's PID 1, so they count as dead).
process_exe() {
  local pid=$1 state
  [[ -r /proc/$pid/stat ]] || return 0
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
  [[ $state == Z || -z $state ]] && return 0
  readlink "/proc/$pid/exe" 2>/dev/null || true
}

# Is the recorded PID alive and still the daemon we started (not a reused PID)?
alive_as() {
  local pid=$1 name=$2 exe
  [[ -n $pid ]] || return 1
  exe=$(process_exe "$pid")
  exe=${exe##*/}
  # Debian installs the daemons as alternatives, e.g. /usr/sbin/slurmctld -> slurmctld-wlm.
  [[ $exe == "$name" || $exe == "$name"-wlm ]]
}

recorded_pid() { [[ -f $PIDS/$1 ]] && cat "$PIDS/$1" || true; }

cmd_install() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null &&
    command -v munged >/dev/null; then
    log "slurm and munge are already installed"
    return 0
  fi
  [[ $(id -u) == 0 ]] || die "install needs root (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    slurmctld slurmd slurm-client munge >/dev/null
  log "installed $(slurmctld -V)"
}

port_busy() { ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }

wait_for() {
  local what=$1 seconds=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || {
      log "timed out after ${seconds}s waiting for $what"
      return 1
    }
    sleep 0.1
  done
}

node_idle() { SLURM_CONF=$CONF sinfo -h -o %t | grep -qx 'idle'; }
munge_ok() { munge -S "$DIR/munge-run/munge.socket" -n | unmunge -S "$DIR/munge-run/munge.socket"; }
ctld_ok() { SLURM_CONF=$CONF scontrol ping | grep -q 'is UP'; }

running() {
  alive_as "$(recorded_pid munged)" munged && alive_as "$(recorded_pid slurmctld)" slurmctld &&
    alive_as "$(recorded_pid slurmd)" slurmd && node_idle_or_busy
}
node_idle_or_busy() { SLURM_CONF=$CONF sinfo -h -o %t 2>/dev/null | grep -Eqx 'idle|mix|alloc'; }

# Start a daemon in the foreground under setsid and record its PID; fall back to its own pidfile.
launch() {
  local name=$1 pidfile=$2
  shift 2
  setsid "$@" </dev/null >"$DIR/log/$name.out" 2>&1 &
  local pid=$! started=$!
  sleep 0.05
  if ! alive_as "$pid" "$name"; then
    wait_for "$name pidfile" 5 test -s "$pidfile" || true
    pid=$(cat "$pidfile" 2>/dev/null || true)
  fi
  alive_as "$pid" "$name" || {
    # Whatever was started must not outlive a failed start: it would hold the ports.
    kill -KILL "$started" 2>/dev/null || true
    tail -n 20 "$DIR/log/$name.out" >&2 || true
    return 1
  }
  echo "$pid" >"$PIDS/$name"
}

write_conf() {
  local host node port=${SLURM_LOCAL_PORT:-6817}
  host=$(hostname -s)
  while port_busy "$port" || port_busy $((port + 1)); do port=$((port + 2)); done
  # The node line is the machine's own (`slurmd -C`), so slurmd registers without a low-resource drain.
  node=$(slurmd -C | head -n 1 | sed 's/ UpTime=.*//')
  cat >"$CONF" <<EOF
ClusterName=tinyrnnlocal
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge-run/munge.socket
StateSaveLocation=$DIR/spool/ctld
SlurmdSpoolDir=$DIR/spool/d
SlurmctldPidFile=$DIR/spool/slurmctld.pid
SlurmdPidFile=$DIR/spool/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/log/jobcomp.txt
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
MaxArraySize=100001
MaxJobCount=200000
KillWait=5
InactiveLimit=0
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

cmd_start() {
  command -v slurmctld >/dev/null || die "slurm is not installed (run: $0 install)"
  if [[ -f $MARKER ]] && running; then
    log "already running in $DIR"
    return 0
  fi
  if [[ -d $DIR ]]; then
    if [[ -f $MARKER ]]; then
      cmd_stop quiet
      rm -rf "$DIR"
    elif [[ -n $(ls -A "$DIR") ]]; then
      die "$DIR is not empty and was not made by this script; refusing to wipe it"
    fi
  fi
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  touch "$MARKER"
  mkdir -p "$DIR/etc" "$DIR/spool/ctld" "$DIR/spool/d" "$DIR/log" "$PIDS"
  # munged insists: key 0400 in a folder only root can enter; socket folder searchable by everyone.
  mkdir -m 700 "$DIR/munge-etc"
  mkdir -m 755 "$DIR/munge-run"
  dd if=/dev/urandom of="$DIR/munge-etc/munge.key" bs=1024 count=1 status=none
  chmod 400 "$DIR/munge-etc/munge.key"

  if ! {
    launch munged "$DIR/munge-run/munged.pid" munged -F --key-file="$DIR/munge-etc/munge.key" \
      --socket="$DIR/munge-run/munge.socket" --pid-file="$DIR/munge-run/munged.pid" \
      --log-file="$DIR/log/munged.log" --seed-file="$DIR/munge-etc/munged.seed" &&
      wait_for "munge round trip" 10 munge_ok &&
      write_conf &&
      launch slurmctld "$DIR/spool/slurmctld.pid" slurmctld -D -f "$CONF" &&
      wait_for "scontrol ping" 20 ctld_ok &&
      launch slurmd "$DIR/spool/slurmd.pid" slurmd -D -f "$CONF" &&
      wait_for "node idle" 20 node_idle
  }; then
    log "start failed; log tails:"
    for f in "$DIR"/log/*; do
      echo "== $f" >&2
      tail -n 15 "$f" >&2 || true
    done
    cmd_stop quiet
    exit 1
  fi
  log "running: munged=$(recorded_pid munged) slurmctld=$(recorded_pid slurmctld) slurmd=$(recorded_pid slurmd)"
  cmd_env
}

cmd_env() { echo "export SLURM_CONF=$CONF"; }

cmd_status() {
  local name pid state
  [[ -f $MARKER ]] || {
    echo "not started ($DIR)"
    return 1
  }
  for name in munged slurmctld slurmd; do
    pid=$(recorded_pid "$name")
    if alive_as "$pid" "$name"; then state=alive; else state=dead; fi
    echo "$name pid=${pid:-none} $state"
  done
  SLURM_CONF=$CONF sinfo 2>&1 || true
  SLURM_CONF=$CONF squeue 2>&1 || true
  running
}

# slurmstepd is double-forked by slurmd into its own session under PID 1, so it is found by what it holds
# open (files under our folder), never by name; its job scripts are its descendants.
cluster_stragglers() {
  local exe p fd target
  for exe in $(find /proc -maxdepth 2 -name exe \( -lname '*/slurmstepd' -o -lname '*/slurmstepd-wlm' \) 2>/dev/null); do
    p=${exe#/proc/}
    p=${p%/exe}
    for fd in /proc/"$p"/fd/*; do
      target=$(readlink "$fd" 2>/dev/null || true)
      if [[ $target == "$DIR"/* ]]; then
        echo "$p"
        break
      fi
    done
  done
}

descendants() {
  local parent=$1 p ppid
  for p in /proc/[0-9]*/stat; do
    ppid=$(awk '{print $4}' "$p" 2>/dev/null || true)
    if [[ $ppid == "$parent" ]]; then
      p=${p#/proc/}
      p=${p%/stat}
      echo "$p"
      descendants "$p"
    fi
  done
}

cmd_stop() {
  local quiet=${1:-} name pid deadline ids stray
  if [[ ! -f $MARKER ]]; then
    [[ -n $quiet ]] || log "nothing to stop in $DIR"
    return 0
  fi
  if alive_as "$(recorded_pid slurmctld)" slurmctld; then
    ids=$(SLURM_CONF=$CONF squeue -h -o %A 2>/dev/null | sort -u || true)
    if [[ -n $ids ]]; then
      # shellcheck disable=SC2086 # one argument per job id
      SLURM_CONF=$CONF scancel $ids 2>/dev/null || true
      deadline=$((SECONDS + 15))
      while [[ -n $(SLURM_CONF=$CONF squeue -h -o %A 2>/dev/null) ]] && ((SECONDS < deadline)); do sleep 0.2; done
    fi
  fi
  for name in slurmd slurmctld munged; do
    pid=$(recorded_pid "$name")
    alive_as "$pid" "$name" && kill -TERM "$pid" 2>/dev/null || true
  done
  deadline=$((SECONDS + 15))
  for name in slurmd slurmctld munged; do
    pid=$(recorded_pid "$name")
    while alive_as "$pid" "$name" && ((SECONDS < deadline)); do sleep 0.1; done
    if alive_as "$pid" "$name"; then
      log "$name ($pid) ignored SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDS/$name"
  done
  for stray in $(cluster_stragglers); do
    for pid in $(descendants "$stray") "$stray"; do kill -KILL "$pid" 2>/dev/null || true; done
  done
  [[ -n $quiet ]] || log "stopped"
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  env) cmd_env ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  *)
    echo "usage: $0 install | start | env | status | stop" >&2
    exit 2
    ;;
esac
