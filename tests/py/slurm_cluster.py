"""A one-machine SLURM cluster for the tests: munged, slurmctld and two slurmd "nodes"
(node1, node2) on this host, all inside one temporary directory (the recipe of
/work/shared/reference/diagnostics-and-clusters.md, section 4, without any system path).

    with SlurmCluster() as c:
        c.run(["sbatch", "--wait", "job.sbatch"], cwd=...)   # env has SLURM_CONF

- slurm.conf is in the temporary directory; clients get it through SLURM_CONF (c.env).
- munged runs with its own key, socket, pid, log and seed files there; slurm.conf's
  AuthInfo=socket=... makes SLURM talk to that munged, not to /run/munge.
- __enter__ waits until `sinfo` shows both nodes idle; on failure it stops what it started
  and raises ClusterError with the tail of every daemon's log.
- The daemons run in the foreground, children of this process: __exit__ stops each by
  its pid (SIGTERM, SIGKILL after 10 s), reaps it, checks that it is gone (ClusterError
  otherwise), and removes the directory.
Needs root (slurmd launches the jobs' processes) and Debian's slurm-wlm and munge."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

MUNGED = "/usr/sbin/munged"
SLURMCTLD = "/usr/sbin/slurmctld"
SLURMD = "/usr/sbin/slurmd"
NODES = ("node1", "node2")


class ClusterError(Exception):
    pass


def free_ports(n):
    """n TCP ports free on loopback now (bound then released; the daemons take them
    within a second)."""
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


class SlurmCluster:
    def __init__(self, cpus=None, start_timeout=30):
        self.cpus = cpus or os.cpu_count() or 1
        self.start_timeout = start_timeout
        self.dir = None
        self.procs = {}  # daemon name -> its Popen (the daemons run in the foreground)
        self.pids = {}  # daemon name -> pid
        self.env = None

    # -- paths ---------------------------------------------------------------------------
    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    @property
    def conf(self):
        return self.path("slurm.conf")

    @property
    def jobcomp(self):
        return self.path("jobcomp.txt")

    # -- start -----------------------------------------------------------------------------
    def __enter__(self):
        missing = [p for p in (MUNGED, SLURMCTLD, SLURMD) if not os.access(p, os.X_OK)]
        if missing or not shutil.which("sbatch") or not shutil.which("sinfo"):
            raise ClusterError("SLURM or munge is not installed (%s): run scripts/install-deps.sh"
                               % ", ".join(missing or ["sbatch/sinfo"]))
        if os.geteuid() != 0:
            raise ClusterError("the SLURM test needs root (slurmd starts the jobs as their user)")
        self.dir = tempfile.mkdtemp(prefix="cdask_slurm_")
        os.chmod(self.dir, 0o700)  # munged checks that its directories are not open to others
        try:
            self._start()
        except BaseException as e:
            logs = self.log_tails()
            try:
                self._stop()
            except ClusterError as stop_error:
                logs += "\n" + str(stop_error)
            shutil.rmtree(self.dir, ignore_errors=True)
            if isinstance(e, ClusterError):
                raise ClusterError("%s\n%s" % (e, logs)) from None
            raise
        return self

    def _start(self):
        for d in ("state", "log", "munge", "spool/node1", "spool/node2", "tmp/node1",
                  "tmp/node2"):
            os.makedirs(self.path(d), mode=0o700)
        key = self.path("munge", "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o400)
        sock = self.path("munge", "munge.socket")
        self._daemon("munged", [MUNGED, "--foreground", "--key-file=" + key, "--socket=" + sock,
                                "--pid-file=" + self.path("munge", "munged.pid"),
                                "--log-file=" + self.path("log", "munged.log"),
                                "--seed-file=" + self.path("munge", "munged.seed"),
                                "--num-threads=2", "--force"], ready=sock)
        ctld_port, port1, port2 = free_ports(3)
        with open(self.conf, "w") as f:
            f.write(self._slurm_conf(sock, ctld_port, (port1, port2)))
        self.env = dict(os.environ, SLURM_CONF=self.conf)
        for var in list(self.env):  # nothing from an enclosing allocation
            if var.startswith(("SLURM_", "SBATCH_", "SRUN_", "SALLOC_")) and var != "SLURM_CONF":
                del self.env[var]
        self._daemon("slurmctld", [SLURMCTLD, "-D"])
        for node in NODES:
            self._daemon("slurmd-" + node, [SLURMD, "-D", "-N", node])
        self._wait_idle()

    def _slurm_conf(self, sock, ctld_port, ports):
        d = self.dir
        return "\n".join([
            "ClusterName=cdask",
            "MailProg=/bin/true",  # no mail from the test cluster
            "SlurmctldHost=localhost",
            "SlurmctldPort=%d" % ctld_port,
            "SlurmUser=root",
            "SlurmdUser=root",
            "AuthType=auth/munge",
            "AuthInfo=socket=%s" % sock,
            "CredType=cred/munge",
            "StateSaveLocation=%s/state" % d,
            "SlurmdSpoolDir=%s/spool/%%n" % d,
            "SlurmctldPidFile=%s/slurmctld.pid" % d,
            "SlurmdPidFile=%s/slurmd-%%n.pid" % d,
            "SlurmctldLogFile=%s/log/slurmctld.log" % d,
            "SlurmdLogFile=%s/log/slurmd-%%n.log" % d,
            "TmpFS=%s/tmp/%%n" % d,  # pmix makes its directories there, one per node
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core",
            "MpiDefault=none",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/filetxt",
            "JobCompLoc=%s" % self.jobcomp,
            "ReturnToService=2",
            "NodeName=node[1-2] NodeHostname=localhost NodeAddr=127.0.0.1 Port=[%d-%d] CPUs=%d "
            "RealMemory=2000 State=UNKNOWN" % (ports[0], ports[0] + 1, self.cpus)
            if ports[1] == ports[0] + 1 else
            "NodeName=node1 NodeHostname=localhost NodeAddr=127.0.0.1 Port=%d CPUs=%d "
            "RealMemory=2000 State=UNKNOWN\nNodeName=node2 NodeHostname=localhost "
            "NodeAddr=127.0.0.1 Port=%d CPUs=%d RealMemory=2000 State=UNKNOWN"
            % (ports[0], self.cpus, ports[1], self.cpus),
            "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
            ""])

    def _daemon(self, name, cmd, ready=None):
        """Starts a daemon in the foreground as a child of this process (so that its pid is
        known and it is reaped when stopped), its output in log/NAME.out; waits for the
        path ready to exist if given."""
        env = dict(os.environ, SLURM_CONF=self.conf)
        with open(self.path("log", name + ".out"), "w") as out:
            proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        self.pids[name] = proc.pid
        deadline = time.time() + 10
        while ready and not os.path.exists(ready):
            if proc.poll() is not None:
                raise ClusterError("%s exited with %s while starting" % (name, proc.returncode))
            if time.time() > deadline:
                raise ClusterError("%s did not make %s in 10 s" % (name, ready))
            time.sleep(0.05)

    def _wait_idle(self):
        deadline = time.time() + self.start_timeout
        last = ""
        while time.time() < deadline:
            r = subprocess.run(["sinfo", "-h", "-N", "-o", "%N %T"], env=self.env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               timeout=30)
            last = r.stdout.strip()
            states = dict(line.split() for line in last.splitlines() if len(line.split()) == 2)
            if r.returncode == 0 and all(states.get(n) == "idle" for n in NODES):
                return
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise ClusterError("%s (pid %d) exited with %s while starting"
                                       % (name, proc.pid, proc.returncode))
            time.sleep(0.5)
        raise ClusterError("the nodes were not idle after %d s; sinfo says: %s"
                           % (self.start_timeout, last or "(nothing)"))

    # -- use -------------------------------------------------------------------------------
    def run(self, cmd, cwd=None, timeout=120, extra_env=None):
        env = dict(self.env, **(extra_env or {}))
        try:
            return subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            return subprocess.CompletedProcess(cmd, None, e.stdout or "",
                                               "%s\n[timed out after %ss]"
                                               % (e.stderr or "", timeout))

    def job_state(self, job_id):
        """The JobState jobcomp/filetxt recorded for job_id, or None."""
        try:
            with open(self.jobcomp) as f:
                for line in f:
                    fields = dict(w.split("=", 1) for w in line.split() if "=" in w)
                    if fields.get("JobId") == str(job_id):
                        return fields.get("JobState")
        except OSError:
            pass
        return None

    def log_tails(self, lines=15):
        out = []
        logdir = self.path("log") if self.dir else None
        if not logdir or not os.path.isdir(logdir):
            return "(no logs)"
        for name in sorted(os.listdir(logdir)):
            with open(os.path.join(logdir, name), errors="replace") as f:
                tail = f.read().splitlines()[-lines:]
            out.append("--- %s (last %d lines)\n%s" % (name, len(tail), "\n".join(tail)))
        return "\n".join(out)

    # -- stop ------------------------------------------------------------------------------
    def _stop(self):
        """Stops the daemons in the reverse order of their start: SIGTERM to each pid, then
        SIGKILL after 10 s; each is reaped; ClusterError if one is still there."""
        for name in reversed(list(self.procs)):
            if self.procs[name].poll() is None:
                os.kill(self.pids[name], signal.SIGTERM)
        deadline = time.time() + 10
        for name, proc in self.procs.items():
            try:
                proc.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                os.kill(self.pids[name], signal.SIGKILL)
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
        left = ["%s (pid %d)" % (n, self.pids[n]) for n in self.procs if alive(self.pids[n])]
        self.procs = {}
        if left:
            raise ClusterError("still running after SIGKILL: " + ", ".join(left))

    def __exit__(self, *exc):
        try:
            self._stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False


def alive(pid):
    """True while pid runs (a zombie, not reaped by us since the daemons are not our
    children, counts as gone)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
