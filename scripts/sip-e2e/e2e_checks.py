"""What the e2e drivers share: PASS/FAIL lines, and pumping PJSIP's events
(the drivers run it on their main thread) until a condition or a time."""
import time

class Checks:
    """Prints one line per check (PASS/FAIL NAME DETAIL) and keeps the results."""
    def __init__(self):
        self.results = []
    def __call__(self, name, ok, detail=""):
        self.results.append(ok)
        print(("PASS " if ok else "FAIL ") + name + (" " + detail if detail else ""), flush=True)

def pumper(ep):
    """pump(seconds, until=None): handle PJSIP events for up to `seconds`, or until `until()` holds."""
    def pump(seconds, until=None):
        end = time.time() + seconds
        while time.time() < end:
            ep.libHandleEvents(10)
            if until and until(): return True
        return until() if until else True
    return pump

def first_active_audio(call):
    """The call's first active audio stream (a pjsua2 AudioMedia), or None."""
    import pjsua2 as pj
    info = call.getInfo()  # kept alive while its media list is read
    active = [mi.index for mi in info.media if mi.type == pj.PJMEDIA_TYPE_AUDIO and mi.status == pj.PJSUA_CALL_MEDIA_ACTIVE]
    return call.getAudioMedia(active[0]) if active else None
