"""The cluster proof of docs/deploy.md (issue 17): Kamailio with the shipped
deploy/kamailio/kamailio.cfg in front of three `ivrc serve` nodes, all on
loopback; SIPp places calls through Kamailio at a steady rate while
  node-1 gets SIGTERM (it drains: OPTIONS and INVITEs get 503 with
         Retry-After, /readyz 503, so Kamailio takes it out; its live
         calls end normally and are recorded),
  node-2 gets SIGHUP with a changed flow (calls after it carry the new
         bundle's hash, calls before it the old one),
  node-3 is killed with SIGKILL and started again (the calls live on it
         are lost; they are counted and reported, not failed).
Then: under 1% of SIPp's calls failed, not counting those lost with node-3;
every call SIPp saw answered has exactly one record across the nodes'
files; /metrics of each live node parses with prometheus_client and its
ivrc_calls_total sums match that node's records.

  cluster_driver.py IVRC WORK [CALLS] [RATE]

Prints PASS/FAIL lines (e2e_checks.Checks); exit 0 when all passed."""
import hashlib, json, os, random, re, shutil, signal, socket, subprocess, sys, time, urllib.request
from e2e_checks import Checks
from loopback import free_port, http, wait_for

# The test runner may start this with signals blocked (SIGALRM among them) or
# ignored, and children inherit both: Kamailio's timers (retransmissions,
# fr_timer) run on SIGALRM and would never fire. Unblock all, defaults back.
signal.pthread_sigmask(signal.SIG_SETMASK, set())
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM, signal.SIGCHLD):
    signal.signal(sig, signal.SIG_DFL)

ivrc, work = sys.argv[1], sys.argv[2]
calls = int(sys.argv[3]) if len(sys.argv) > 3 else 320
rate = int(sys.argv[4]) if len(sys.argv) > 4 else 10
hold_ms = 4000
repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
check = Checks()

FLOW = """ivr: cluster
extension: "100"
nodes:
  greet:
    menu:
      prompt: {say: "%s"}
      options: {"1": bye}
      timeout: 10s
  bye: hangup
"""

def options(port, timeout=3):
    """The status line and headers of a node's answer to OPTIONS ('' when none)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); s.settimeout(timeout)
    me = s.getsockname()[1]
    call_id = "probe-%d@127.0.0.1" % random.randint(0, 10**9)
    s.sendto(("OPTIONS sip:127.0.0.1:%d SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK%d;rport\r\n"
              "From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1:%d>\r\nCall-ID: %s\r\nCSeq: 1 OPTIONS\r\n"
              "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n" % (port, me, random.randint(0, 10**9), port, call_id)).encode(),
             ("127.0.0.1", port))
    try:
        while True:
            text = s.recvfrom(65535)[0].decode(errors="replace")
            if call_id in text: return text
    except socket.timeout:
        return ""
    finally:
        s.close()

class Node:
    def __init__(self, n):
        self.n, self.name = n, "node-%d" % n
        self.port, self.metrics = free_port(), free_port()
        self.dir = os.path.join(work, self.name)
        self.project = os.path.join(self.dir, "project")
        os.makedirs(self.project)
        self.write_flow("Press 1 to leave.")
        self.records = os.path.join(self.dir, "records.jsonl")
        self.proc, self.started = None, []

    def write_flow(self, prompt):
        with open(os.path.join(self.project, "cluster.yaml"), "w") as f: f.write(FLOW % prompt)

    def start(self):
        log = open(os.path.join(self.dir, "serve.err"), "a")
        self.proc = subprocess.Popen(
            [ivrc, "serve", self.project, "--listen", "127.0.0.1:%d" % self.port, "--server", self.name,
             "--metrics", "127.0.0.1:%d" % self.metrics, "--rtp-ports", "%d-%d" % (40000 + 2000 * self.n, 41998 + 2000 * self.n),
             # Three nodes, Kamailio and SIPp share the test machine with other tests:
             # shed load only when a node is truly stuck, not when the machine is busy.
             "--overload-lag", "2000",
             "--tts", "none", "--records", self.records, "--recordings", os.path.join(self.dir, "recordings")],
            stdout=subprocess.DEVNULL, stderr=log)
        self.started.append(time.time())
        return wait_for(lambda: http("http://127.0.0.1:%d/healthz" % self.metrics, 1)[0] == 200, 30)

    def log(self):
        try: return open(os.path.join(self.dir, "serve.err")).read()
        except OSError: return ""

    def read_records(self):
        try: return [json.loads(l) for l in open(self.records) if l.strip()]
        except OSError: return []

def bundle_hash(project):
    """SHA-256 of the bundle `ivrc build` makes of `project` (builds are reproducible)."""
    out = os.path.join(work, "hash-%d.ivrb" % random.randint(0, 10**9))
    subprocess.run([ivrc, "build", project, "-o", out], check=True, capture_output=True)
    return hashlib.sha256(open(out, "rb").read()).hexdigest()

nodes = [Node(1), Node(2), Node(3)]
old_hash = bundle_hash(nodes[1].project)
for node in nodes:
    up = node.start()
    check("%s-up" % node.name, up, "" if up else node.log()[-800:])

kam_dir = os.path.join(work, "kamailio"); os.makedirs(kam_dir)
kam_port = free_port()
with open(os.path.join(kam_dir, "nodes.list"), "w") as f:
    for node in nodes: f.write("1 sip:127.0.0.1:%d 0 0\n" % node.port)
kam_log = os.path.join(kam_dir, "kamailio.log")
kamailio = subprocess.Popen(
    ["kamailio", "-f", os.path.join(repo, "deploy/kamailio/kamailio.cfg"), "-DD", "-E", "-n", "2",
     "-A", "LISTEN=udp:127.0.0.1:%d" % kam_port, "-A", 'DISPATCHER_LIST="%s"' % os.path.join(kam_dir, "nodes.list"),
     "-A", "DS_PING_INTERVAL=1", "-A", "FR_TIMER=1000", "-A", "FR_INV_TIMER=10000",
     "-Y", kam_dir, "-w", kam_dir, "-P", os.path.join(kam_dir, "kamailio.pid"), "-m", "64", "-M", "8"],
    stdout=open(kam_log, "a"), stderr=subprocess.STDOUT, start_new_session=True)
kam_up = wait_for(lambda: "200" in options(kam_port, 1).split("\r\n")[0], 30)
check("kamailio-up", kam_up, "" if kam_up else open(kam_log).read()[-800:])

def stop_all():
    for node in nodes:
        if node.proc and node.proc.poll() is None: node.proc.kill()
    if kamailio.poll() is None:
        os.killpg(kamailio.pid, signal.SIGTERM)
        try: kamailio.wait(10)
        except subprocess.TimeoutExpired: os.killpg(kamailio.pid, signal.SIGKILL)

try:
    sipp_dir = os.path.join(work, "sipp"); os.makedirs(sipp_dir)
    sipp = subprocess.Popen(
        ["sipp", "127.0.0.1:%d" % kam_port, "-sf", os.path.join(repo, "scripts/sipp/caller-via-balancer.xml"),
         "-m", str(calls), "-r", str(rate), "-l", str(rate * 10), "-d", str(hold_ms), "-i", "127.0.0.1", "-p", str(free_port()),
         "-nostdin", "-timeout", "300", "-trace_logs", "-log_file", os.path.join(sipp_dir, "answered.log"),
         "-trace_stat", "-fd", "1", "-stf", os.path.join(sipp_dir, "stat.csv"),
         "-trace_err", "-error_file", os.path.join(sipp_dir, "errors.log")],
        cwd=sipp_dir, stdout=open(os.path.join(sipp_dir, "sipp.out"), "w"), stderr=subprocess.STDOUT)
    run_seconds = calls / rate

    # node-1: SIGTERM at a quarter of the run; it drains.
    time.sleep(run_seconds * 0.25)
    n1 = nodes[0]
    n1.proc.send_signal(signal.SIGTERM)
    drained_at = time.time()
    # The signal reaches serve's loop a moment later: probe until it says 503 (as a dispatcher's next probe would).
    answers = [""]
    wait_for(lambda: answers.append(options(n1.port, 1)) or answers[-1].startswith("SIP/2.0 503"), 10, 0.1)
    answer = answers[-1]
    check("drain-options-503", answer.startswith("SIP/2.0 503") and re.search(r"(?im)^Retry-After:\s*\d+", answer) is not None,
          answer.split("\r\n")[0] if answer else "no answer")
    status, _ = http("http://127.0.0.1:%d/readyz" % n1.metrics)
    # The node may already have finished draining (no call was live) and exited: then nothing answers.
    check("drain-readyz-503", status == 503 or (status is None and n1.proc.poll() is not None), "readyz %s" % status)

    # node-2: SIGHUP with a changed flow at half the run.
    time.sleep(max(0, run_seconds * 0.5 - (time.time() - drained_at) - run_seconds * 0.25))
    n2 = nodes[1]
    n2.write_flow("Press 1 to leave, version two.")
    new_hash = bundle_hash(n2.project)
    reloaded_before = n2.log().count("reload")
    n2.proc.send_signal(signal.SIGHUP)
    hup_at = time.time()
    reloaded = wait_for(lambda: n2.log().count("reload") > reloaded_before, 30)
    check("reload-logged", reloaded, "" if reloaded else n2.log()[-600:])

    # node-3: SIGKILL at three quarters of the run, started again a second later.
    time.sleep(max(0, run_seconds * 0.25))
    n3 = nodes[2]
    n3.proc.kill(); n3.proc.wait()
    killed_at = time.time()
    time.sleep(1)
    restarted = n3.start()
    check("node-3-restarted", restarted, "" if restarted else n3.log()[-600:])

    try: sipp.wait(run_seconds + 120)
    except subprocess.TimeoutExpired:
        sipp.kill(); sipp.wait()
    check("sipp-ended", sipp.returncode is not None, "exit %s" % sipp.returncode)

    # Every node's calls are over: scrape the live ones, then stop them (drain: records written).
    wait_for(lambda: all(http("http://127.0.0.1:%d/metrics" % n.metrics)[1].count("ivrc_calls_active 0") == 1
                         for n in nodes[1:]), 30, 0.5)
    scraped = {n.name: http("http://127.0.0.1:%d/metrics" % n.metrics) for n in nodes[1:]}
    for n in nodes[1:]:
        n.proc.send_signal(signal.SIGTERM)
        n.proc.wait(60)
    check("node-1-exited", n1.proc.wait(60) == 0, "exit %s" % n1.proc.returncode)
finally:
    stop_all()

# SIPp's totals.
stat = list(open(os.path.join(sipp_dir, "stat.csv")))
head, last = stat[0].strip().split(";"), stat[-1].strip().split(";")
row = dict(zip(head, last))
total, failed, ok = int(row["TotalCallCreated"]), int(row["FailedCall(C)"]), int(row["SuccessfulCall(C)"])
logged = [l.split() for l in open(os.path.join(sipp_dir, "answered.log"))]
answered = list(dict.fromkeys(l[1] for l in logged if len(l) > 1 and l[0] == "answered"))
completed = {l[1] for l in logged if len(l) > 1 and l[0] == "completed"}

# Where Kamailio sent each call last (failover lines come after the first try).
routed, tries = {}, {}
for line in open(kam_log):
    m = re.search(r"ivrc-lb: INVITE (\S+) to sip:127\.0\.0\.1:(\d+)", line)
    if m:
        routed[m.group(1)] = int(m.group(2))
        tries.setdefault(m.group(1), []).append(int(m.group(2)))
node_of_port = {n.port: n.name for n in nodes}
sipp_errors = open(os.path.join(sipp_dir, "errors.log"), errors="replace").read()

def why(call_id):
    """Where a failed call went and what SIPp said of it (for a FAIL line)."""
    said = [l.strip()[:160] for l in sipp_errors.splitlines() if call_id in l and ("Aborting" in l or "Dead" in l)]
    return "%s via %s: %s" % (call_id, "/".join(node_of_port.get(p, str(p)) for p in tries.get(call_id, [])), said[:1])

def started(r):
    """A record's start (ISO-8601) as a Unix time."""
    from datetime import datetime
    return datetime.fromisoformat(r["start"].replace("Z", "+00:00")).timestamp()

records = {}
by_node = {}
for n in nodes:
    by_node[n.name] = n.read_records()
    for r in by_node[n.name]:
        records.setdefault(r["id"], []).append(n.name)
# A call that did not complete and that Kamailio last sent to node-3 was
# live there (in setup or talking) when it was killed: lost with it.
failed_ids = [c for c in routed if c not in completed]
unseen = max(0, total - len(routed))  # calls Kamailio never logged: failed, and not node-3's
# A call Kamailio tried on node-3 at all belongs to node-3's SIGKILL and
# restart when it failed: an INVITE sent while node-3 was down may sit in its
# new socket's queue and be answered after Kamailio already failed it over
# (no reply within FR_TIMER), so two nodes answered it (SIPp aborts on the
# second 200, and both nodes record a call that never got its ACK).
lost_on_3 = [c for c in failed_ids if nodes[2].port in tries.get(c, [])]
unrecorded = [c for c in answered if c not in records]
twice = [c for c in answered if len(records.get(c, [])) > 1 and c not in lost_on_3]
print("calls %d: successful %d, failed %d (%d not completed, %d never reached Kamailio), answered %d, "
      "lost with node-3 %d, records %d" % (total, ok, failed, len(failed_ids), unseen, len(answered), len(lost_on_3),
                                          sum(len(v) for v in records.values())), flush=True)
check("calls-placed", total == calls, "%d of %d" % (total, calls))
others = [c for c in failed_ids if c not in lost_on_3]
check("failed-under-1pct", len(others) + unseen <= 0.01 * total,
      "%d failed, %d of them lost with node-3; others: %s" % (len(failed_ids) + unseen, len(lost_on_3),
                                                              [why(c) for c in others[:4]]))
check("one-record-per-answered-call", not twice and all(c in lost_on_3 for c in unrecorded),
      "twice: %s; unrecorded, not node-3's: %s" % (twice[:5], [c for c in unrecorded if c not in lost_on_3][:5]))
check("node-1-drained-calls-recorded", len(by_node["node-1"]) > 0 and all(r.get("server") == "node-1" for r in by_node["node-1"]),
      "%d records" % len(by_node["node-1"]))
late = [r["id"] for r in by_node["node-1"] if started(r) > drained_at + 0.5]
check("node-1-no-calls-after-drain", not late, "calls node-1 took after its SIGTERM: %s" % late[:5])

# node-2's bundle before and after the reload (compared with the SIGHUP time).
before = {r.get("bundle") for r in by_node["node-2"] if started(r) < hup_at - 0.5}
after = {r.get("bundle") for r in by_node["node-2"] if started(r) > hup_at + 2}
check("bundle-before-reload", before == {old_hash}, "%s vs %s" % (before, old_hash))
check("bundle-after-reload", after == {new_hash} and new_hash != old_hash, "%s vs %s" % (after, new_hash))
check("records-name-server", all(r.get("server") == n for n, rs in by_node.items() for r in rs))

# /metrics: a real Prometheus text parser, and calls_total against the node's records (since its start).
from prometheus_client.parser import text_string_to_metric_families
for n in nodes[1:]:
    status, body = scraped[n.name]
    try:
        families = {f.name: f for f in text_string_to_metric_families(body)}
        parsed = status == 200
    except Exception as e:
        families, parsed = {}, False
    check("%s-metrics-parse" % n.name, parsed and "ivrc_calls" in families, "status %s, families %s" % (status, sorted(families)[:8]))
    counted = sum(s.value for s in families["ivrc_calls"].samples if s.name == "ivrc_calls_total") if "ivrc_calls" in families else -1
    since = n.started[-1]
    mine = [r for r in by_node[n.name] if started(r) >= since - 0.5]
    check("%s-calls-total-matches-records" % n.name, int(counted) == len(mine), "metrics %s, records %d" % (counted, len(mine)))

sys.exit(0 if all(check.results) else 1)
