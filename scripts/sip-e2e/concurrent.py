"""One PJSIP process placing up to 4 simultaneous calls (the wheel's pjsua
allows 4 per process): each call picks the PIN option by RFC 4733, enters
its own PIN and waits for the flow to hang up. Prints one line per call:
OK PIN or BAD PIN WHY."""
import os, sys, time
import pjsua2 as pj

server, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ep = pj.Endpoint(); ep.libCreate()
cfg = pj.EpConfig(); cfg.uaConfig.threadCnt = 0; cfg.uaConfig.mainThreadOnly = True
cfg.logConfig.level = 0; cfg.logConfig.consoleLevel = 0
cfg.medConfig.clockRate = 8000; cfg.medConfig.sndClockRate = 8000; cfg.medConfig.noVad = True
ep.libInit(cfg)
t = pj.TransportConfig(); t.port = 0; t.boundAddress = "127.0.0.1"; ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, t)
ep.libStart(); ep.audDevManager().setNullDev()

class Call(pj.Call):
    state, wired = None, False
    def onCallState(self, prm): self.state = self.getInfo().state
    def onCallMediaState(self, prm):
        info = self.getInfo()
        for mi in info.media:
            if mi.type == pj.PJMEDIA_TYPE_AUDIO and mi.status == pj.PJSUA_CALL_MEDIA_ACTIVE and not self.wired:
                self.wired = True
                ep.audDevManager().getCaptureDevMedia().startTransmit(self.getAudioMedia(mi.index))

acc = pj.Account(); a = pj.AccountConfig(); a.idUri = "sip:load@127.0.0.1"; acc.create(a)
def pump(s, until=None):
    end = time.time() + s
    while time.time() < end:
        ep.libHandleEvents(10)
        if until and until(): return True
    return bool(until and until())
def dtmf(c, d):
    p = pj.CallSendDtmfParam(); p.digits = d; p.method = pj.PJSUA_DTMF_METHOD_RFC2833; c.sendDtmf(p)

calls = []
for i in range(count):
    c = Call(acc); c.makeCall(f"sip:100@{server}", pj.CallOpParam(True)); calls.append(c)
answered = pump(10, lambda: all(c.state == pj.PJSIP_INV_STATE_CONFIRMED for c in calls))
print("READY %d" % sum(c.state == pj.PJSIP_INV_STATE_CONFIRMED for c in calls), flush=True)
sys.stdin.readline()  # the parent says go once every process has its calls up
for c in calls: dtmf(c, "4")
pump(0.6)
for i, c in enumerate(calls): dtmf(c, "%04d#" % (first + i))
pump(30, lambda: all(c.state == pj.PJSIP_INV_STATE_DISCONNECTED for c in calls))
for i, c in enumerate(calls):
    ok = c.state == pj.PJSIP_INV_STATE_DISCONNECTED
    print(("OK " if ok else "BAD ") + "%04d" % (first + i), flush=True)
ep.hangupAllCalls(); pump(0.5)
sys.stdout.flush()
os._exit(0)  # skip interpreter teardown: pjsua2 objects collected after the library asserts
