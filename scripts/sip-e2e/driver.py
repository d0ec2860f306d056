"""Drives real calls from PJSIP (pjsua2, null audio device) against ivrc serve.
Prints one line per check: PASS/FAIL NAME DETAIL. Call records and
recordings are checked afterwards by check_records.py."""
import argparse, json, math, os, struct, sys, time, wave
import pjsua2 as pj
from audio_envelope import envelope, best_correlation
from e2e_checks import Checks, pumper

ap = argparse.ArgumentParser()
ap.add_argument("--server"); ap.add_argument("--port", type=int); ap.add_argument("--work"); ap.add_argument("--calls", type=int)
# The transport of the calls to the server (udp, tcp or tls: then also a UDP
# transport on --port, where the transfer target answers); --ca: the CA file
# the server's TLS certificate is verified with; --only: the checks to run
# (comma-separated first names of the sections below; default all);
# --srtp: PJSIP's SRTP use (0 disabled, 1 optional, 2 mandatory).
ap.add_argument("--transport", default="udp", choices=["udp", "tcp", "tls"]); ap.add_argument("--ca")
ap.add_argument("--only", default=""); ap.add_argument("--srtp", type=int, default=0)
args = ap.parse_args()
only = set(filter(None, args.only.split(",")))
def want(name): return not only or name in only
check = Checks(); results = check.results

ep = pj.Endpoint(); ep.libCreate()
cfg = pj.EpConfig()
cfg.uaConfig.threadCnt = 0; cfg.uaConfig.mainThreadOnly = True; cfg.uaConfig.maxCalls = max(32, args.calls + 8)
cfg.logConfig.level = 1; cfg.logConfig.consoleLevel = 1
if args.transport != "udp":  # the log shows which connection each request came on
    cfg.logConfig.level = 5; cfg.logConfig.filename = os.path.join(args.work, "pjsip.log")
cfg.medConfig.clockRate = 8000; cfg.medConfig.sndClockRate = 8000; cfg.medConfig.noVad = True
ep.libInit(cfg)
tcfg = pj.TransportConfig(); tcfg.port = args.port; tcfg.boundAddress = "127.0.0.1"
ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tcfg)
if args.transport == "tcp":
    ep.transportCreate(pj.PJSIP_TRANSPORT_TCP, tcfg)
elif args.transport == "tls":
    tcfg.tlsConfig.CaListFile = args.ca; tcfg.tlsConfig.verifyServer = True
    ep.transportCreate(pj.PJSIP_TRANSPORT_TLS, tcfg)
ep.libStart(); ep.audDevManager().setNullDev()

pump = pumper(ep)

transfers, keep = [], []

class Call(pj.Call):
    def __init__(self, acc, call_id=pj.PJSUA_INVALID_ID, record=None, play=None):
        pj.Call.__init__(self, acc, call_id)
        self.record, self.play, self.state, self.media_up = record, play, None, False
        self.recorder = self.player = None; self.transfer_status = None
    def onCallState(self, prm):
        self.state = self.getInfo().state
    def onCallMediaState(self, prm):
        info = self.getInfo()  # keep it alive while reading its media list
        for mi in info.media:
            if mi.type == pj.PJMEDIA_TYPE_AUDIO and mi.status == pj.PJSUA_CALL_MEDIA_ACTIVE and not self.media_up:
                self.media_up = True
                am = self.getAudioMedia(mi.index)
                if self.record:
                    self.recorder = pj.AudioMediaRecorder(); self.recorder.createRecorder(self.record); am.startTransmit(self.recorder)
                if self.play:
                    self.player = pj.AudioMediaPlayer(); self.player.createPlayer(self.play, pj.PJMEDIA_FILE_NO_LOOP); self.player.startTransmit(am)
                else:  # like a phone: the (null) microphone talks, so the stream is clocked and DTMF goes out promptly
                    ep.audDevManager().getCaptureDevMedia().startTransmit(am)
    def onCallTransferRequest(self, prm):
        transfers.append(prm.dstUri)
        if "999" in prm.dstUri: prm.statusCode = 603  # the failing transfer: declined
    def onCallTransferStatus(self, prm):
        self.transfer_status = prm.statusCode
    @property
    def confirmed(self): return self.state == pj.PJSIP_INV_STATE_CONFIRMED
    @property
    def gone(self): return self.state == pj.PJSIP_INV_STATE_DISCONNECTED

class Account(pj.Account):
    def onIncomingCall(self, prm):  # the transfer target: answer
        c = Call(self, prm.callId); keep.append(c)
        op = pj.CallOpParam(); op.statusCode = 200; c.answer(op)

acc = Account(); acfg = pj.AccountConfig(); acfg.idUri = f"sip:tester@127.0.0.1:{args.port}"
acfg.mediaConfig.srtpUse = args.srtp; acfg.mediaConfig.srtpSecureSignaling = 0
acc.create(acfg)
suffix = "" if args.transport == "udp" else ";transport=" + args.transport

def call(user="100", **kw):
    c = Call(acc, **kw); keep.append(c)
    c.makeCall(f"sip:{user}@{args.server}{suffix}", pj.CallOpParam(True)); return c

def dtmf(c, digits, method):
    p = pj.CallSendDtmfParam(); p.digits = digits; p.method = method; c.sendDtmf(p)

RFC4733, INFO = pj.PJSUA_DTMF_METHOD_RFC2833, pj.PJSUA_DTMF_METHOD_SIP_INFO

def hangup(c):
    if not c.gone:
        try: c.hangup(pj.CallOpParam())
        except pj.Error: pass

def keys(c, digits, method, gap=0.25):
    for d in digits: dtmf(c, d, method); pump(gap)

w = args.work
summary = {}

# 1. The caller hears the prompt: record what PJSIP receives, compare energy envelopes.
if want("hears-prompt"):
    heard = os.path.join(w, "heard.wav")
    c = call(record=heard)
    pump(5, lambda: c.confirmed)
    pump(2.5)
    hangup(c); pump(1, lambda: c.gone)
    r, lag = best_correlation(envelope(os.path.join(w, "greeting-reference.wav")), envelope(heard))
    check("hears-prompt", r > 0.8, f"envelope correlation {r:.3f} at lag {lag * 20} ms")

def scenario(name, digits_plan, expect_gone=True, wait=12, **kw):
    c = call(**kw)
    if not pump(5, lambda: c.confirmed):
        check(name, False, "not answered"); return c
    pump(0.5)
    for digits, method in digits_plan:
        keys(c, digits, method)
    if expect_gone:
        ok = pump(wait, lambda: c.gone)
        check(name, ok, "the server ended the call" if ok else "the call is still up")
    return c

# 2. RFC 4733 DTMF: menu 3, then a sensitive account number.
if want("dtmf-rfc4733"):
    scenario("dtmf-rfc4733", [("3", RFC4733), ("12345678#", RFC4733)])
# 3. SIP INFO DTMF: menu 4, then a PIN.
if want("dtmf-sip-info"):
    scenario("dtmf-sip-info", [("4", INFO), ("4321#", INFO)])
# 4. Blind transfer: REFER with Refer-To sip:sales@<pbx>; PJSIP calls it (itself) and NOTIFYs 200.
if want("transfer"):
    n = len(transfers)
    c = scenario("transfer", [("1", RFC4733)])
    expected = f"sip:sales@127.0.0.1:{args.port}"
    got = transfers[n] if len(transfers) > n else None
    check("transfer-refer-to", got is not None and expected in got, f"Refer-To {got}")
    pump(2)
    for k in keep: hangup(k)
    pump(1)
    if args.transport != "udp":
        # Over TCP/TLS the REFER comes back on the connection PJSIP opened to
        # the server: its far end is the server's listening port (a connection
        # the server opened would come from a port of its own).
        import re
        server_port = args.server.rsplit(":", 1)[1]
        log = open(os.path.join(w, "pjsip.log"), errors="replace").read()
        froms = re.findall(r"Request msg REFER/cseq=\d+ \([^)]*\) from (\w+) ([\d.]+):(\d+)", log)
        same = bool(froms) and all(t.lower() == args.transport and p == server_port for t, _, p in froms)
        check("transfer-same-connection", same, f"REFER from {froms}, server {args.transport} port {server_port}")
# 5. A transfer the target declines: on-fail runs (goodbye), the flow hangs up.
if want("transfer-declined"):
    scenario("transfer-declined", [("5", RFC4733)])
# 6. Hang up in the middle of the menu prompt.
if want("caller-hangup"):
    c = call()
    pump(5, lambda: c.confirmed); pump(2.5)
    hangup(c); pump(1, lambda: c.gone)
    check("caller-hangup", c.gone)
# 7. Voicemail: the caller speaks (a WAV into the call), then presses #.
if want("voicemail"):
    c = scenario("voicemail", [("2", RFC4733)], expect_gone=False, play=os.path.join(w, "caller-voice.wav"))
    pump(3)
    keys(c, "#", RFC4733)
    ok = pump(6, lambda: c.gone)
    check("voicemail-ends", ok, "the flow hung up after the recording")
# 8. Concurrent calls: processes of 4 PJSIP calls each, all up at once,
# each call entering its own PIN by RFC 4733.
import subprocess
ep.hangupAllCalls(); pump(2)
procs = []
if not want("concurrent"): args.calls = 0
for first in range(0, args.calls, 4):
    n = min(4, args.calls - first)
    procs.append(subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "concurrent.py"), args.server,
                                   str(1000 + first), str(n)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
def ready_count(p):
    for line in p.stdout:
        if line.startswith("READY"): return int(line.split()[1])
    return 0
up = sum(ready_count(p) for p in procs)
if want("concurrent"): check("concurrent-answered", up == args.calls, f"{up}/{args.calls} calls up at once in {len(procs)} PJSIP processes")
for p in procs: p.stdin.write("go\n"); p.stdin.flush()
lines = [l.strip() for p in procs for l in p.communicate(timeout=60)[0].splitlines() if l.strip()]
ok = sum(1 for l in lines if l.startswith("OK "))
if want("concurrent"): check("concurrent-completed", ok == args.calls, f"{ok}/{args.calls} ended by the flow")
json.dump({"pins": ["%04d" % (1000 + i) for i in range(args.calls)]}, open(os.path.join(w, "expect.json"), "w"))
for k in keep: hangup(k)
pump(1)
print("DRIVER %d passed, %d failed" % (results.count(True), results.count(False)), flush=True)
sys.stdout.flush()
os._exit(0 if all(results) else 1)  # skip teardown: pjsua2 objects collected after the library asserts
