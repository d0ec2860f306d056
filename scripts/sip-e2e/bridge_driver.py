"""Bridged transfers end to end: one PJSIP endpoint (pjsua2, null audio device)
is the caller and the agents. The caller dials the flow of bridge_project.py and
picks an option; ivrc serve places the agent's call back to this endpoint
(extension 201 answers, 202 is busy, 203 answers but never confirms) and joins
the two. Prints one line per check: PASS/FAIL NAME DETAIL, and writes
WORK/bridge-measured.json (the talk time the driver measured) for
check_bridge_records.py."""
import argparse, json, os, sys, time
import pjsua2 as pj
from audio_envelope import tone_power
from e2e_checks import Checks, first_active_audio, pumper

ap = argparse.ArgumentParser()
ap.add_argument("--server"); ap.add_argument("--port", type=int); ap.add_argument("--work")
ap.add_argument("--transport", default="udp", choices=["udp"]); ap.add_argument("--only", default="")
args = ap.parse_args()
only = set(filter(None, args.only.split(",")))
def want(name): return not only or name in only
check = Checks(); results = check.results
w = args.work

ep = pj.Endpoint(); ep.libCreate()
cfg = pj.EpConfig()
cfg.uaConfig.threadCnt = 0; cfg.uaConfig.mainThreadOnly = True
cfg.logConfig.level = 5; cfg.logConfig.consoleLevel = 0; cfg.logConfig.msgLogging = True
cfg.logConfig.filename = os.path.join(w, "pjsip.log")
cfg.medConfig.clockRate = 8000; cfg.medConfig.sndClockRate = 8000; cfg.medConfig.noVad = True
ep.libInit(cfg)
tcfg = pj.TransportConfig(); tcfg.port = args.port; tcfg.boundAddress = "127.0.0.1"
ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tcfg)
ep.libStart(); ep.audDevManager().setNullDev()
pump = pumper(ep)
keep, agents, refers = [], [], []

class Call(pj.Call):
    """The caller or an agent: plays `play` (looped) into the call once media is up."""
    def __init__(self, acc, call_id=pj.PJSUA_INVALID_ID, play=None, user=None):
        pj.Call.__init__(self, acc, call_id)
        self.play, self.user, self.state, self.media_up = play, user, None, False
        self.player = self.recorder = None; self.digits = ""; self.confirmed_at = None; self.gone_at = None
    def onCallState(self, prm):
        self.state = self.getInfo().state
        if self.state == pj.PJSIP_INV_STATE_CONFIRMED and self.confirmed_at is None: self.confirmed_at = time.time()
        if self.state == pj.PJSIP_INV_STATE_DISCONNECTED and self.gone_at is None: self.gone_at = time.time()
    def onCallMediaState(self, prm):
        am = first_active_audio(self)
        if am is None or self.media_up: return
        self.media_up = True
        if self.play:
            self.player = pj.AudioMediaPlayer(); self.player.createPlayer(self.play, 0); self.player.startTransmit(am)
        else:
            ep.audDevManager().getCaptureDevMedia().startTransmit(am)
    def onDtmfDigit(self, prm): self.digits += prm.digit
    def onCallTransferRequest(self, prm):  # the caller refuses every REFER: `auto` must bridge
        refers.append(prm.dstUri); prm.statusCode = 603
    def record_into(self, path):
        am = first_active_audio(self)
        self.recorder = pj.AudioMediaRecorder(); self.recorder.createRecorder(path); am.startTransmit(self.recorder)
    @property
    def confirmed(self): return self.state == pj.PJSIP_INV_STATE_CONFIRMED
    @property
    def gone(self): return self.state == pj.PJSIP_INV_STATE_DISCONNECTED

class Account(pj.Account):
    def onIncomingCall(self, prm):
        uri = prm.rdata.wholeMsg.split("\r\n", 1)[0]
        user = uri.split("sip:", 1)[1].split("@", 1)[0] if "sip:" in uri else "?"
        c = Call(self, prm.callId, play=os.path.join(w, "agent-1209.wav"), user=user); keep.append(c); agents.append(c)
        if user == "202":
            op = pj.CallOpParam(); op.statusCode = 486; c.answer(op); return
        if user == "203":  # records what it hears (the whisper) from the answer on
            op = pj.CallOpParam(); op.statusCode = 200; c.answer(op); return
        op = pj.CallOpParam(); op.statusCode = 180; c.answer(op)
        c.answer_after = time.time() + 0.5  # rings half a second, then answers

acc = Account(); acfg = pj.AccountConfig(); acfg.idUri = f"sip:caller@127.0.0.1:{args.port}"
acc.create(acfg)

def call_flow():
    c = Call(acc, play=os.path.join(w, "caller-697.wav")); keep.append(c)
    c.makeCall(f"sip:100@{args.server}", pj.CallOpParam(True)); return c

def press(c, digits):
    for d in digits:
        p = pj.CallSendDtmfParam(); p.digits = d; p.method = pj.PJSUA_DTMF_METHOD_RFC2833; c.sendDtmf(p); pump(0.25)

def hangup(c):
    if not c.gone:
        try: c.hangup(pj.CallOpParam())
        except pj.Error: pass

def answer_ringing():
    for a in agents:
        t = getattr(a, "answer_after", None)
        if t and time.time() >= t:
            a.answer_after = None; op = pj.CallOpParam(); op.statusCode = 200; a.answer(op)

def wait(seconds, until=None):
    """Pumps PJSIP (answering agents whose ring time is up) until `until()` holds or for `seconds`."""
    def step():
        answer_ringing()
        return bool(until and until())
    ok = pump(seconds, step)
    return ok if until else True

def new_agent(before, user):
    found = [a for a in agents[before:] if a.user == user]
    return found[0] if found else None

def bridged_call(option, user, name):
    """The caller picks `option`; returns (caller, agent) once the agent's call is up, or (caller, None)."""
    c = call_flow()
    if not wait(5, lambda: c.confirmed): check(name, False, "the flow did not answer"); return c, None
    wait(0.5); n = len(agents); press(c, option)
    if not wait(10, lambda: new_agent(n, user) is not None and new_agent(n, user).confirmed):
        check(name, False, f"agent {user} never answered"); return c, None
    a = new_agent(n, user)
    return c, a

measured = {}

# 1. Talk: tones both ways, the caller's RFC 4733 key reaches the agent, the agent hangs up and the caller gets BYE.
if want("talk"):
    c, a = bridged_call("1", "201", "talk")
    if a:
        wait(0.3)
        a.record_into(os.path.join(w, "agent-heard.wav")); c.record_into(os.path.join(w, "caller-heard.wav"))
        wait(2.5)
        press(c, "7"); wait(1)
        hangup(a); ended = time.time()
        measured["talk"] = ended - a.confirmed_at
        ok = wait(30, lambda: c.gone)  # returns once the BYE came; 30 s only a hang reaches
        check("talk-agent-hangs-up", ok, "the caller got BYE" if ok else "the caller's call is still up")
        check("talk-dtmf", "7" in a.digits, f"the agent received {a.digits!r}")
        p697, p1209 = tone_power(os.path.join(w, "agent-heard.wav"), 697, 2), tone_power(os.path.join(w, "agent-heard.wav"), 1209, 2)
        check("talk-agent-hears-caller", p697 > 10 * p1209 and p697 > 1e5, f"697 Hz {p697:.3g} vs 1209 Hz {p1209:.3g}")
        q697, q1209 = tone_power(os.path.join(w, "caller-heard.wav"), 697, 2), tone_power(os.path.join(w, "caller-heard.wav"), 1209, 2)
        check("talk-caller-hears-agent", q1209 > 10 * q697 and q1209 > 1e5, f"1209 Hz {q1209:.3g} vs 697 Hz {q697:.3g}")
    hangup(c); wait(1)

# 2. The caller hangs up: the agent gets BYE.
if want("caller-hangs-up"):
    c, a = bridged_call("1", "201", "caller-hangs-up")
    if a:
        wait(1.5); hangup(c)
        ok = wait(5, lambda: a.gone)
        check("caller-hangs-up", ok, "the agent got BYE" if ok else "the agent's call is still up")
    wait(1)

# 3. A busy agent (486): on-fail plays its tone and hangs up.
if want("busy"):
    c = call_flow()
    if wait(5, lambda: c.confirmed):
        wait(0.5); press(c, "2")
        ok = wait(15, lambda: c.gone)
        check("busy-runs-on-fail", ok and any(a.user == "202" for a in agents), "the flow hung up after on-fail" if ok else "still up")
    hangup(c); wait(1)

# 4. An agent who never presses the confirm key: they hear the whisper, get BYE, and the caller's on-fail runs.
if want("confirm"):
    c, a = bridged_call("3", "203", "confirm")
    if a:
        a.record_into(os.path.join(w, "whisper-heard.wav"))
        ok = wait(10, lambda: a.gone)
        check("confirm-not-pressed-ends-agent", ok, "the agent got BYE" if ok else "the agent's call is still up")
        ok = wait(10, lambda: c.gone)
        check("confirm-not-pressed-runs-on-fail", ok, "the flow hung up" if ok else "the caller's call is still up")
        p300, p697 = tone_power(os.path.join(w, "whisper-heard.wav"), 300), tone_power(os.path.join(w, "whisper-heard.wav"), 697)
        check("confirm-whisper-heard", p300 > 10 * p697 and p300 > 1e4, f"300 Hz {p300:.3g} vs the caller's 697 Hz {p697:.3g}")
    hangup(c); wait(1)

# 5. auto: the caller refuses the REFER (603), so ivrc bridges.
if want("auto"):
    n = len(refers)
    c, a = bridged_call("4", "201", "auto")
    check("auto-refer-refused-then-bridged", a is not None and len(refers) > n, f"REFERs refused: {len(refers) - n}")
    if a:
        wait(1); hangup(c); wait(5, lambda: a.gone)
    wait(1)

json.dump(measured, open(os.path.join(w, "bridge-measured.json"), "w"))
for k in keep: hangup(k)
wait(1)
print("DRIVER %d passed, %d failed" % (results.count(True), results.count(False)), flush=True)
sys.stdout.flush()
os._exit(0 if all(results) else 1)  # skip teardown: pjsua2 objects collected after the library asserts
