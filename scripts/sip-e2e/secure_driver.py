"""Real calls from PJSIP (pjsua2, null audio device) with SDES-keyed SRTP
against `ivrc serve --srtp required`. Prints one line per check:
PASS/FAIL NAME DETAIL. PJSIP's own log (with every SIP message, so the
keys of both sides' a=crypto lines) goes to WORK/pjsip.log, which
check_secure.py reads afterwards.

  --transport udp|tcp|tls   how PJSIP reaches the server (tcp/tls need the
                            server to listen there: sip-e2e-secure.sh does)
  --ca FILE                 with tls: verify the server's certificate with it
"""
import argparse, math, os, struct, sys, time, wave
import pjsua2 as pj
from audio_envelope import envelope, best_correlation
from e2e_checks import Checks, first_active_audio, pumper

ap = argparse.ArgumentParser()
ap.add_argument("--server"); ap.add_argument("--port", type=int); ap.add_argument("--work")
ap.add_argument("--transport", default="udp", choices=["udp", "tcp", "tls"])
ap.add_argument("--ca", help="with tls: the CA the server's certificate is verified with")
args = ap.parse_args()
check = Checks(); results = check.results

ep = pj.Endpoint(); ep.libCreate()
cfg = pj.EpConfig()
cfg.uaConfig.threadCnt = 0; cfg.uaConfig.mainThreadOnly = True
cfg.logConfig.level = 5; cfg.logConfig.consoleLevel = 0; cfg.logConfig.msgLogging = True
cfg.logConfig.filename = os.path.join(args.work, "pjsip.log")
cfg.medConfig.clockRate = 8000; cfg.medConfig.sndClockRate = 8000; cfg.medConfig.noVad = True
ep.libInit(cfg)
kind = {"udp": pj.PJSIP_TRANSPORT_UDP, "tcp": pj.PJSIP_TRANSPORT_TCP, "tls": pj.PJSIP_TRANSPORT_TLS}[args.transport]
tcfg = pj.TransportConfig(); tcfg.port = args.port; tcfg.boundAddress = "127.0.0.1"
if args.transport == "tls":
    tcfg.tlsConfig.CaListFile = args.ca or ""; tcfg.tlsConfig.verifyServer = bool(args.ca)
ep.transportCreate(kind, tcfg)
ep.libStart(); ep.audDevManager().setNullDev()

pump = pumper(ep)

keep = []

class Call(pj.Call):
    def __init__(self, acc, record=None):
        pj.Call.__init__(self, acc)
        self.record, self.state, self.media_up, self.recorder, self.status = record, None, False, None, None
    def onCallState(self, prm):
        info = self.getInfo()
        self.state, self.status = info.state, info.lastStatusCode
    def onCallMediaState(self, prm):
        am = None if self.media_up else first_active_audio(self)
        if am is None: return
        self.media_up = True
        if self.record:  # what the caller hears, for the envelope
            self.recorder = pj.AudioMediaRecorder(); self.recorder.createRecorder(self.record); am.startTransmit(self.recorder)
        ep.audDevManager().getCaptureDevMedia().startTransmit(am)  # the (null) microphone clocks the stream
    @property
    def confirmed(self): return self.state == pj.PJSIP_INV_STATE_CONFIRMED
    @property
    def gone(self): return self.state == pj.PJSIP_INV_STATE_DISCONNECTED

def account(user, srtp_use):
    acc = pj.Account(); a = pj.AccountConfig()
    a.idUri = f"sip:{user}@127.0.0.1:{args.port}"
    a.mediaConfig.srtpUse = srtp_use
    a.mediaConfig.srtpSecureSignaling = 0   # SDES keys in SDP over UDP/TCP too
    acc.create(a); keep.append(acc)
    return acc

secure = account("secure", pj.PJMEDIA_SRTP_MANDATORY)
plain = account("plain", pj.PJMEDIA_SRTP_DISABLED)
suffix = "" if args.transport == "udp" else f";transport={args.transport}"

def call(acc, user="100", **kw):
    c = Call(acc, **kw); keep.append(c)
    c.makeCall(f"sip:{user}@{args.server}{suffix}", pj.CallOpParam(True)); return c

def hangup(c):
    if not c.gone:
        try: c.hangup(pj.CallOpParam())
        except pj.Error: pass

def keys(c, digits):
    for d in digits:
        p = pj.CallSendDtmfParam(); p.digits = d; p.method = pj.PJSUA_DTMF_METHOD_RFC2833; c.sendDtmf(p); pump(0.25)

w = args.work
# 1. SRTP mandatory: the caller hears the prompt (decrypted by PJSIP). On a
# loaded 2-core machine PJSIP's own playout can stall; a second call is
# made when the first one's envelope does not match, and the better counts.
def hear(n):
    heard = os.path.join(w, f"heard-srtp-{n}.wav")
    c = call(secure, record=heard)
    up = pump(10, lambda: c.confirmed)
    pump(2.5)
    hangup(c); pump(2, lambda: c.gone)
    return up, c.status, best_correlation(envelope(os.path.join(w, "greeting-reference.wav")), envelope(heard))
up, status, (r, lag) = hear(1)
tries = [f"{r:.3f}"]
if up and r <= 0.8:
    up, status, (r2, lag2) = hear(2)
    tries.append(f"{r2:.3f}")
    if r2 > r: r, lag = r2, lag2
check("srtp-answered", up, f"status {status}")
check("srtp-hears-prompt", r > 0.8, f"envelope correlation {r:.3f} at lag {lag * 20} ms (calls: {', '.join(tries)})")

# 2. RFC 4733 DTMF over SRTP picks an option: 4 (PIN), then 4321#; the flow hangs up.
c = call(secure)
if pump(10, lambda: c.confirmed):
    pump(0.5)
    keys(c, "4")
    pump(0.5)
    keys(c, "4321#")
    ok = pump(15, lambda: c.gone)
    check("srtp-dtmf-rfc4733", ok, "the flow ended the call" if ok else "the call is still up")
else:
    check("srtp-dtmf-rfc4733", False, f"not answered (status {c.status})")

# 3. SRTP disabled against --srtp required: 488.
c = call(plain)
pump(10, lambda: c.gone)
check("plain-refused-488", c.gone and c.status == 488, f"status {c.status}")

for k in keep:
    if isinstance(k, Call): hangup(k)
pump(1)
print("DRIVER %d passed, %d failed" % (results.count(True), results.count(False)), flush=True)
sys.stdout.flush()
os._exit(0 if all(results) else 1)  # skip teardown: pjsua2 objects collected after the library asserts
