#!/bin/sh
# A one-node SLURM cluster for the `slurm` tests and for trying sweeps on SLURM locally.
#
#   sh scripts/services/slurm.sh start    # install (Debian) if missing, start munged/slurmctld/slurmd
#   sh scripts/services/slurm.sh stop     # stop the daemons by their PID files
#   sh scripts/services/slurm.sh status
#
# Everything lives under $SWARMSIM_SLURM_DIR (default /tmp/swarmsim-slurm): etc/slurm.conf,
# spool folders, logs, PID files and a `status` file. Use the cluster with
#   export SLURM_CONF=/tmp/swarmsim-slurm/etc/slurm.conf
# `start` is idempotent, prints one status line and always exits 0: if the cluster cannot
# start, the status file says why and the tests marked `slurm` skip with that reason.
set -u
DIR=${SWARMSIM_SLURM_DIR:-/tmp/swarmsim-slurm}
CONF=$DIR/etc/slurm.conf
STATUS=$DIR/status
PACKAGES="slurmctld slurmd slurm-client munge"

say() {
    mkdir -p "$DIR"
    printf '%s\n' "$1" > "$STATUS"
    echo "slurm: $1"
}

fail() {
    say "not started: $1"
    exit 0
}

running() {
    [ -s "$DIR/run/$1.pid" ] && kill -0 "$(cat "$DIR/run/$1.pid")" 2>/dev/null
}

install_packages() {
    command -v slurmctld >/dev/null && command -v slurmd >/dev/null \
        && command -v sbatch >/dev/null && command -v munged >/dev/null && return 0
    [ "$(id -u)" = 0 ] || fail "slurm is not installed and installing needs root (apt-get install $PACKAGES)"
    command -v apt-get >/dev/null || fail "slurm is not installed and apt-get is not available"
    export DEBIAN_FRONTEND=noninteractive
    apt="apt-get -o DPkg::Lock::Timeout=300 -y -qq"
    if ! $apt install --no-install-recommends $PACKAGES >"$DIR/apt.log" 2>&1; then
        $apt update >>"$DIR/apt.log" 2>&1
        $apt install --no-install-recommends $PACKAGES >>"$DIR/apt.log" 2>&1 \
            || fail "apt-get install $PACKAGES failed (see $DIR/apt.log)"
    fi
}

write_config() {
    host=$(hostname -s)
    cpus=$(nproc)
    mem=$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)
    mkdir -p "$DIR/etc" "$DIR/run" "$DIR/log" "$DIR/spool/ctld" "$DIR/spool/d" \
        "$DIR/munge/etc" "$DIR/munge/lib" "$DIR/munge/log" "$DIR/munge/run"
    # munged refuses a socket folder others cannot search, and a key others can read.
    chmod 755 "$DIR" "$DIR/munge" "$DIR/munge/run"
    chmod 700 "$DIR/munge/etc" "$DIR/munge/lib"
    if [ ! -s "$DIR/munge/etc/munge.key" ]; then
        dd if=/dev/urandom of="$DIR/munge/etc/munge.key" bs=1024 count=1 2>/dev/null
        chmod 400 "$DIR/munge/etc/munge.key"
    fi
    cat >"$CONF" <<EOF
# Written by scripts/services/slurm.sh: one node, daemons run as root, no accounting.
ClusterName=swarmsim
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$DIR/munge/run/munge.socket.2
CredType=cred/munge
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$DIR/spool/ctld
SlurmdSpoolDir=$DIR/spool/d
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1024
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

wait_for_node() {
    for _ in $(seq 1 30); do
        state=$(SLURM_CONF=$CONF sinfo -h -o %T 2>/dev/null | head -n 1)
        case "$state" in
            idle* | mixed* | allocated*) return 0 ;;
        esac
        sleep 1
    done
    return 1
}

start() {
    mkdir -p "$DIR"
    if running munged && running slurmctld && running slurmd && wait_for_node; then
        say "running (SLURM_CONF=$CONF)"
        return
    fi
    stop >/dev/null 2>&1
    install_packages
    write_config
    munged --socket="$DIR/munge/run/munge.socket.2" --key-file="$DIR/munge/etc/munge.key" \
        --pid-file="$DIR/run/munged.pid" --log-file="$DIR/munge/log/munged.log" \
        --seed-file="$DIR/munge/lib/munged.seed" --force >>"$DIR/log/start.log" 2>&1 \
        || fail "munged did not start (see $DIR/munge/log/munged.log)"
    slurmctld -f "$CONF" >>"$DIR/log/start.log" 2>&1 \
        || fail "slurmctld did not start (see $DIR/log/slurmctld.log)"
    slurmd -f "$CONF" >>"$DIR/log/start.log" 2>&1 \
        || fail "slurmd did not start (see $DIR/log/slurmd.log)"
    wait_for_node || fail "the node did not become idle within 30 s (see $DIR/log/)"
    say "running (SLURM_CONF=$CONF)"
}

stop() {
    for daemon in slurmd slurmctld munged; do
        pidfile=$DIR/run/$daemon.pid
        [ -s "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null
        for _ in $(seq 1 20); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        kill -9 "$pid" 2>/dev/null
        rm -f "$pidfile"
    done
    [ -d "$DIR" ] && say "stopped"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) cat "$STATUS" 2>/dev/null || echo "not started" ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
exit 0
