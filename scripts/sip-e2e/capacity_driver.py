"""The serve capacity benchmark of docs/performance.md (issue 17, "Capacity"):
SIPp (Debian sip-tester) places calls on `ivrc serve` running a small flow
(a menu; the caller's key 1 transfers by REFER), scenario
scripts/sipp/caller-capacity.xml: INVITE, 200, ACK, RTP in (SIPp's
rtpstream, PCMU), the key after the hold time (RFC 4733, SIPp's
dtmf_2833_1.pcap), REFER answered 202, NOTIFY 200 sipfrag, ivrc's BYE.

  capacity_driver.py IVRC [--levels 1000,1500,2000] [--rate 100] [--calls-per-level 2]
                          [--kamailio-rates 100,200] [--cluster 3000,4500] [--runs N]
                          [--work DIR] [--out results.md] [--serve-arg=ARG ...] [--baseline-arg=ARG ...]

Each level runs on a fresh node: `--calls-per-level` times the level in
calls at `--rate` calls/s, each held level/rate seconds, so the level is
held for about half the run (SIPp's -l caps the calls up at the level).
Per level: failed calls (SIPp's FailedCall), SIPp's retransmissions, setup
p99 (INVITE to 200, SIPp's -trace_rtt), the share of ivrc's RTP packets
more than 5 ms late (ivrc_rtp_packets_late_total / sent from --metrics),
calls shed with 503, datagrams the SIP socket dropped (/proc/net/udp), peak
RSS and the CPU of serve and of SIPp (share of one core), and the machine's
load average at the start.

--kamailio-rates R,...: short calls (1 s hold) at each rate, once straight
to a node and once through Kamailio (deploy/kamailio/kamailio.cfg, one
node behind it): calls set up per second (answered calls over the time
SIPp took to create them) and setup p99, both ways.
--cluster L,...: three nodes behind Kamailio, each level in concurrent
calls spread over them: how many calls three nodes on this machine hold.

--baseline-arg ARG: each level runs twice in turn, first with ARG added to
serve's options (the baseline, e.g. --shared-signalling-loop), then as
given: before and after under the same machine load.

Writes a Markdown table (stdout and --out). Not part of `swift test`:
a full run takes several minutes (Benchmarks/sipp-capacity.sh runs it)."""
import argparse, math, os, random, re, shutil, signal, socket, subprocess, sys, time, urllib.request
from loopback import free_port, http, wait_for

signal.pthread_sigmask(signal.SIG_SETMASK, set())
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM, signal.SIGCHLD):
    signal.signal(sig, signal.SIG_DFL)

repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SIPP_FILES = "/usr/share/sip-tester"
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

FLOW = """ivr: capacity
extension: "100"
nodes:
  menu:
    menu:
      prompt: {say: "For sales, press 1."}
      options: {"1": sales}
      timeout: 60s
  sales:
    - transfer: {extension: "200"}
"""

def metric(text, name):
    """The sum of a Prometheus metric's samples (every label set)."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rsplit(" ", 1)[1])
    return total

def cpu_ticks(pid):
    """utime + stime of a process (clock ticks), None once it is gone."""
    try:
        fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return None

def peak_rss_mb(pid):
    try:
        for line in open("/proc/%d/status" % pid):
            if line.startswith("VmHWM:"): return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None

def udp_drops(port):
    """Datagrams the kernel dropped at the UDP socket bound to `port` (the last column of /proc/net/udp)."""
    for line in open("/proc/net/udp"):
        parts = line.split()
        if len(parts) > 12 and parts[1].endswith(":%04X" % port):
            return int(parts[-1])
    return None

def rtp_drops(low, high, seen):
    """Notes in `seen` (socket inode -> drops) the kernel's drop count of every
    UDP socket bound to a port in low...high (a node's RTP sockets)."""
    try:
        lines = open("/proc/net/udp").readlines()[1:]
    except OSError:
        return
    for line in lines:
        parts = line.split()
        if len(parts) > 12:
            port = int(parts[1].rsplit(":", 1)[1], 16)
            if low <= port <= high:
                seen[parts[9]] = max(seen.get(parts[9], 0), int(parts[-1]))

def percentile(values, p):
    if not values: return None
    values = sorted(values)
    return values[min(len(values) - 1, max(0, math.ceil(p / 100 * len(values)) - 1))]

class Node:
    def __init__(self, ivrc, work, name, rtp_base, extra):
        self.ivrc, self.name, self.extra = ivrc, name, extra
        self.dir = os.path.join(work, name)
        self.project = os.path.join(self.dir, "project")
        os.makedirs(self.project, exist_ok=True)
        with open(os.path.join(self.project, "capacity.yaml"), "w") as f: f.write(FLOW)
        self.port, self.metrics = free_port(), free_port()
        self.rtp = "%d-%d" % (rtp_base, rtp_base + 9998)
        self.proc = None

    def start(self):
        self.err = open(os.path.join(self.dir, "serve.err"), "a")
        self.proc = subprocess.Popen(
            [self.ivrc, "serve", self.project, "--listen", "127.0.0.1:%d" % self.port, "--server", self.name,
             "--metrics", "127.0.0.1:%d" % self.metrics, "--rtp-ports", self.rtp, "--max-calls", "10000",
             "--tts", "none", "--records", os.path.join(self.dir, "records.jsonl"), "--pbx", "127.0.0.1"] + self.extra,
            stdout=subprocess.DEVNULL, stderr=self.err)
        if not wait_for(lambda: http("http://127.0.0.1:%d/healthz" % self.metrics, 1)[0] == 200, 60):
            raise SystemExit("%s did not start: %s" % (self.name, open(os.path.join(self.dir, "serve.err")).read()[-800:]))

    def scrape(self):
        return http("http://127.0.0.1:%d/metrics" % self.metrics, 10)[1]

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try: self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill(); self.proc.wait()

class Kamailio:
    def __init__(self, work, nodes):
        self.dir = os.path.join(work, "kamailio-%d" % random.randint(0, 10**6)); os.makedirs(self.dir)
        self.port = free_port()
        with open(os.path.join(self.dir, "nodes.list"), "w") as f:
            for node in nodes: f.write("1 sip:127.0.0.1:%d 0 0\n" % node.port)
        self.log = os.path.join(self.dir, "kamailio.log")
        self.proc = subprocess.Popen(
            ["kamailio", "-f", os.path.join(repo, "deploy/kamailio/kamailio.cfg"), "-DD", "-E", "-n", "2",
             "-A", "LISTEN=udp:127.0.0.1:%d" % self.port, "-A", 'DISPATCHER_LIST="%s"' % os.path.join(self.dir, "nodes.list"),
             "-A", "DS_PING_INTERVAL=1", "-A", "FR_TIMER=5000", "-A", "FR_INV_TIMER=30000",
             "-Y", self.dir, "-w", self.dir, "-P", os.path.join(self.dir, "kamailio.pid"), "-m", "256", "-M", "16"],
            stdout=open(self.log, "a"), stderr=subprocess.STDOUT, start_new_session=True)
        time.sleep(3)  # the dispatcher's first probes mark the nodes up
        if self.proc.poll() is not None:
            raise SystemExit("kamailio did not start: " + open(self.log).read()[-800:])

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try: self.proc.wait(10)
            except subprocess.TimeoutExpired: os.killpg(self.proc.pid, signal.SIGKILL)

def run_sipp(work, target, calls, rate, limit, hold_ms, watched, rtp_range=None):
    """Runs SIPp's capacity scenario against `target` (host:port); samples the
    CPU of `watched` (name -> pid) and SIPp. Returns a dict of figures."""
    d = os.path.join(work, "sipp-%d" % random.randint(0, 10**6)); os.makedirs(d)
    shutil.copy(os.path.join(repo, "scripts/sipp/caller-capacity.xml"), d)
    shutil.copy(os.path.join(SIPP_FILES, "dtmf_2833_1.pcap"), d)
    with open(os.path.join(d, "caller-audio.ulaw"), "wb") as f:  # one second of a quiet µ-law pattern
        f.write(bytes([0xFF, 0xFE, 0x7F, 0x7E] * 2000))
    cmd = ["sipp", target, "-sf", "caller-capacity.xml", "-m", str(calls), "-r", str(rate), "-l", str(limit),
           "-d", str(hold_ms), "-i", "127.0.0.1", "-p", str(free_port()), "-mp", str(free_port(40000, 41000) & ~1),
           "-nostdin", "-timeout", str(int(calls / rate + hold_ms / 1000 + 120)), "-timeout_error",
           "-max_recv_loops", "10000", "-max_sched_loops", "10000",
           "-trace_stat", "-fd", "1", "-stf", "stat.csv", "-trace_rtt", "-rtt_freq", "1",
           "-trace_err", "-error_file", "errors.log"]
    started = time.time()
    sipp = subprocess.Popen(cmd, cwd=d, stdout=open(os.path.join(d, "sipp.out"), "w"), stderr=subprocess.STDOUT)
    first = {name: cpu_ticks(pid) for name, pid in watched.items()}
    sipp_ticks, dropped = 0, {}
    while sipp.poll() is None:
        t = cpu_ticks(sipp.pid)
        if t is not None: sipp_ticks = t
        if rtp_range: rtp_drops(rtp_range[0], rtp_range[1], dropped)
        time.sleep(0.5)
    elapsed = time.time() - started
    cpu = {name: ((cpu_ticks(pid) or 0) - (first[name] or 0)) / TICKS / elapsed for name, pid in watched.items()}
    cpu["sipp"] = sipp_ticks / TICKS / elapsed
    stat = [l.strip().split(";") for l in open(os.path.join(d, "stat.csv")) if l.strip()]
    row = dict(zip(stat[0], stat[-1]))
    rtts = []
    for name in os.listdir(d):
        if name.endswith("_rtt.csv"):
            for line in open(os.path.join(d, name)):
                parts = line.strip().split(";")
                if len(parts) >= 2 and parts[0] and parts[0][0].isdigit():
                    try: rtts.append(float(parts[1]))
                    except ValueError: pass
    created = int(row["TotalCallCreated"])
    # Calls that never got their REFER: the key was not heard (SIPp's receive timeout at the REFER).
    errors = open(os.path.join(d, "errors.log"), errors="replace").read() if os.path.exists(os.path.join(d, "errors.log")) else ""
    no_refer = len(re.findall(r"transferred by REFER:8 without label", errors))
    # Calls created per second while SIPp created them (the rate it held), from its elapsed time.
    return {"dir": d, "exit": sipp.returncode, "created": created, "ok": int(row["SuccessfulCall(C)"]),
            "failed": int(row["FailedCall(C)"]), "retrans": int(row["Retransmissions(C)"]), "elapsed": elapsed,
            "setup_p50": percentile(rtts, 50), "setup_p99": percentile(rtts, 99), "setup_max": max(rtts) if rtts else None,
            "cpu": cpu, "no_refer": no_refer, "rtp_drops": sum(dropped.values()) if rtp_range else None}

def load_average():
    return open("/proc/loadavg").read().split()[0]

def level_run(args, level, work, variant="", extra=()):
    node = Node(args.ivrc, work, "node-%d%s" % (level, variant), 20000, args.serve_arg + list(extra))
    node.start()
    load = load_average()
    try:
        hold = int(level * 1000 / args.rate)
        r = run_sipp(work, "127.0.0.1:%d" % node.port, level * args.calls_per_level, args.rate, level, hold,
                     {"serve": node.proc.pid}, (20000, 29998))
        text = node.scrape()
        r["drops"] = udp_drops(node.port)
        r["rss"] = peak_rss_mb(node.proc.pid)
    finally:
        node.stop()
    sent, late = metric(text, "ivrc_rtp_packets_sent_total"), metric(text, "ivrc_rtp_packets_late_total")
    r.update(level=level, variant=variant, load=load, late=(late / sent * 100) if sent else None, sent=sent,
             shed=metric(text, "ivrc_calls_shed_total"))
    return r

def fmt(v, spec="%.1f", none="-"):
    return none if v is None else spec % v

def level_table(rows):
    out = ["| concurrent | serve | calls | failed (no REFER) | SIPp retransmissions | setup p50 / p99 / max | RTP > 5 ms late | shed (503) | drops SIP / RTP sockets | serve peak RSS | CPU serve / SIPp (cores) | load at start |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append("| %s | %s | %d | %s%% (%d) | %d | %s / %s / %s ms | %s%% | %d | %s / %s | %s MB | %.2f / %.2f | %s |" % (
            "{:,}".format(r["level"]), r["variant"] or "as given", r["created"], fmt(r["failed"] / max(1, r["created"]) * 100, "%.2f"), r["no_refer"],
            r["retrans"], fmt(r["setup_p50"], "%.0f"), fmt(r["setup_p99"], "%.0f"), fmt(r["setup_max"], "%.0f"),
            fmt(r["late"], "%.2f"), r["shed"], fmt(r["drops"], "%d"), fmt(r["rtp_drops"], "%d"), fmt(r["rss"], "%.0f"),
            r["cpu"]["serve"], r["cpu"]["sipp"], r["load"]))
    return out

def kamailio_runs(args, work):
    """Short calls at each rate, straight to one node and through Kamailio in front of it."""
    out = ["| rate asked | path | calls | failed | set up per second | setup p50 / p99 | CPU serve / Kamailio / SIPp |",
           "|---|---|---|---|---|---|---|"]
    for rate in args.kamailio_rates:
        for path in ("direct", "kamailio"):
            node = Node(args.ivrc, work, "node-%s-%d" % (path, rate), 20000, args.serve_arg)
            node.start()
            kam = Kamailio(work, [node]) if path == "kamailio" else None
            try:
                target = "127.0.0.1:%d" % (kam.port if kam else node.port)
                watched = {"serve": node.proc.pid}
                if kam: watched["kamailio"] = kam.proc.pid  # the main process; its children are summed below
                calls = rate * args.kamailio_seconds
                before = kam_ticks(kam) if kam else 0
                r = run_sipp(work, target, calls, rate, rate * 10, 1000, watched)
                kcpu = (kam_ticks(kam) - before) / TICKS / r["elapsed"] if kam else None
            finally:
                if kam: kam.stop()
                node.stop()
            created_s = r["elapsed"] - 1.5  # SIPp creates for calls/rate s, then waits about the hold and teardown
            out.append("| %d/s | %s | %d | %.2f%% | %.0f/s | %s / %s ms | %.2f / %s / %.2f |" % (
                rate, path, r["created"], r["failed"] / max(1, r["created"]) * 100, r["ok"] / max(1.0, created_s),
                fmt(r["setup_p50"], "%.0f"), fmt(r["setup_p99"], "%.0f"), r["cpu"]["serve"], fmt(kcpu, "%.2f"), r["cpu"]["sipp"]))
            print(out[-1], flush=True)
    return out

def kam_ticks(kam):
    """CPU ticks of Kamailio's whole process group."""
    total = 0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.getpgid(int(pid)) == kam.proc.pid: total += cpu_ticks(int(pid)) or 0
            except OSError:
                pass
    return total

def cluster_runs(args, work):
    """Three nodes behind Kamailio; each level spread over them."""
    out = ["| concurrent (3 nodes) | calls | failed | SIPp retransmissions | setup p50 / p99 | RTP > 5 ms late | shed | CPU nodes / SIPp |",
           "|---|---|---|---|---|---|---|---|"]
    for level in args.cluster:
        nodes = [Node(args.ivrc, work, "cluster-%d-%d" % (level, n), 20000 + 10000 * n, args.serve_arg) for n in range(3)]
        for n in nodes: n.start()
        kam = Kamailio(work, nodes)
        try:
            r = run_sipp(work, "127.0.0.1:%d" % kam.port, level * args.calls_per_level, args.rate, level,
                         int(level * 1000 / args.rate), {n.name: n.proc.pid for n in nodes})
            texts = [n.scrape() for n in nodes]
        finally:
            kam.stop()
            for n in nodes: n.stop()
        sent = sum(metric(t, "ivrc_rtp_packets_sent_total") for t in texts)
        late = sum(metric(t, "ivrc_rtp_packets_late_total") for t in texts)
        out.append("| %s | %d | %.2f%% (%d) | %d | %s / %s ms | %s%% | %d | %.2f / %.2f |" % (
            "{:,}".format(level), r["created"], r["failed"] / max(1, r["created"]) * 100, r["failed"], r["retrans"],
            fmt(r["setup_p50"], "%.0f"), fmt(r["setup_p99"], "%.0f"), fmt(late / sent * 100 if sent else None, "%.2f"),
            sum(metric(t, "ivrc_calls_shed_total") for t in texts),
            sum(r["cpu"][n.name] for n in nodes), r["cpu"]["sipp"]))
        print(out[-1], flush=True)
    return out

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("ivrc")
    p.add_argument("--levels", default="1000,1500,2000")
    p.add_argument("--rate", type=int, default=100)
    p.add_argument("--calls-per-level", type=int, default=2)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--kamailio-rates", default="")
    p.add_argument("--kamailio-seconds", type=int, default=20)
    p.add_argument("--cluster", default="")
    p.add_argument("--work", default=None)
    p.add_argument("--out", default=None)
    p.add_argument("--serve-arg", action="append", default=[])
    p.add_argument("--baseline-arg", action="append", default=[],
                   help="run each level twice, first with these serve options too (the baseline), then without")
    args = p.parse_args()
    args.levels = [int(x) for x in args.levels.split(",") if x]
    args.kamailio_rates = [int(x) for x in args.kamailio_rates.split(",") if x]
    args.cluster = [int(x) for x in args.cluster.split(",") if x]
    for tool in ["sipp"] + (["kamailio"] if args.kamailio_rates or args.cluster else []):
        if not shutil.which(tool): raise SystemExit("%s is missing (scripts/bootstrap.sh installs it)" % tool)
    work = args.work or "/tmp/ivrc-capacity-%d" % os.getpid()
    os.makedirs(work, exist_ok=True)
    lines = ["Serve capacity, %s, %d cores, net.core.rmem_max %s, ivrc %s %s" % (
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.cpu_count(),
        open("/proc/sys/net/core/rmem_max").read().strip(), args.ivrc, " ".join(args.serve_arg)), ""]
    if args.levels:
        rows = []
        for _ in range(args.runs):
            for level in args.levels:
                if args.baseline_arg:
                    rows.append(level_run(args, level, work, "baseline", args.baseline_arg))
                    print(level_table(rows[-1:])[-1], flush=True)
                rows.append(level_run(args, level, work, "after" if args.baseline_arg else ""))
                print(level_table(rows[-1:])[-1], flush=True)
        lines += level_table(rows) + [""]
    if args.kamailio_rates: lines += kamailio_runs(args, work) + [""]
    if args.cluster: lines += cluster_runs(args, work) + [""]
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(args.out, "w") as f: f.write(text + "\n")
    print("work folder (SIPp logs, serve.err): " + work)

if __name__ == "__main__":
    main()
