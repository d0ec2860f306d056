"""Checks the call records and the stereo recording of the bridged-transfer e2e
run (scripts/sip-e2e-bridge.sh): one record per scenario, the bridge's talk
time within 0.2 s of what the driver measured, who hung up, the failures."""
import json, os, struct, sys, wave
from audio_envelope import goertzel
from e2e_checks import Checks
work = sys.argv[1]
check = Checks(); results = check.results

records = [json.loads(l) for l in open(os.path.join(work, "records.jsonl")) if l.strip()]
measured = json.load(open(os.path.join(work, "bridge-measured.json")))
def of(node): return [r for r in records if node in r.get("path", [])]

talk = [r for r in of("agent") if (r.get("bridge") or {}).get("hangupBy") == "callee"]
check("record-talk", len(talk) == 1 and talk[0]["outcome"] == "transfer" and talk[0]["bridge"]["answered"],
      json.dumps(talk[0].get("bridge")) if talk else "none")
if talk and "talk" in measured:
    got, want = talk[0]["bridge"]["talkSeconds"], measured["talk"]
    check("record-talk-seconds", abs(got - want) <= 0.2, f"record {got:.3f} s, measured {want:.3f} s")
hung = [r for r in of("agent") if (r.get("bridge") or {}).get("hangupBy") == "caller"]
check("record-caller-hangs-up", len(hung) == 1, json.dumps(hung[0].get("bridge")) if hung else "none")
busy = of("busy-agent")
# A failed attempt is still a bridge in the record: not answered, no talk, no hangupBy.
check("record-busy", len(busy) == 1 and "failed" in busy[0]["path"]
      and (busy[0].get("bridge") or {}).get("answered") is False and busy[0]["bridge"].get("talkSeconds") == 0
      and "hangupBy" not in busy[0]["bridge"]
      and any(f["result"] == "busy" for f in busy[0].get("transferFailures", [])),
      json.dumps({k: busy[0].get(k) for k in ("outcome", "path", "transferFailures", "bridge")}) if busy else "none")
unconfirmed = of("confirming-agent")
check("record-confirm-not-pressed", len(unconfirmed) == 1 and "failed" in unconfirmed[0]["path"]
      and (unconfirmed[0].get("bridge") or {}).get("answered") is False
      and any(f["result"] == "no-answer" for f in unconfirmed[0].get("transferFailures", [])),
      json.dumps({k: unconfirmed[0].get(k) for k in ("outcome", "path", "transferFailures", "bridge")}) if unconfirmed else "none")
auto = of("auto-agent")
check("record-auto-bridged", len(auto) == 1 and (auto[0].get("bridge") or {}).get("answered") is True,
      json.dumps(auto[0].get("bridge")) if auto else "none")
# The stereo recording of the talk: the caller (697 Hz) left, the agent (1209 Hz) right.
name = talk[0]["bridge"].get("recording") if talk else None
path = os.path.join(work, "recordings", name) if name else None
if path and os.path.exists(path):
    with wave.open(path) as w:
        channels, rate, data = w.getnchannels(), w.getframerate(), w.readframes(w.getnframes())
    s = struct.unpack("<%dh" % (len(data) // 2), data)
    left, right = s[0::2], s[1::2]
    l697, l1209, r697, r1209 = goertzel(left, 697, rate), goertzel(left, 1209, rate), goertzel(right, 697, rate), goertzel(right, 1209, rate)
    check("record-stereo-wav", channels == 2 and l697 > 10 * l1209 and r1209 > 10 * r697,
          f"{channels} channels; left 697/1209 Hz {l697:.3g}/{l1209:.3g}, right {r697:.3g}/{r1209:.3g}")
else:
    check("record-stereo-wav", False, f"no recording ({name})")
print("RECORDS %d passed, %d failed" % (results.count(True), results.count(False)))
sys.exit(0 if all(results) else 1)
