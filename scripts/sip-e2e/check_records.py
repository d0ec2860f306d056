"""Checks the call records and recordings the server wrote during the e2e run."""
import json, math, os, struct, sys, wave
work = sys.argv[1]
results = []
def check(name, ok, detail=""):
    results.append(ok); print(("PASS " if ok else "FAIL ") + name + (" " + detail if detail else ""), flush=True)

records = [json.loads(l) for l in open(os.path.join(work, "records.jsonl")) if l.strip()]
expect = json.load(open(os.path.join(work, "expect.json")))
check("records-one-per-call", len(records) >= 7 + len(expect["pins"]), f"{len(records)} records")
check("records-have-fields", all(all(k in r for k in ("id", "from", "to", "flow", "start", "end", "outcome", "path", "inputs")) for r in records))
def with_input(digits):
    return [r for r in records if any(i["digits"] == digits for i in r["inputs"])]
acct = [r for r in records if any(i["node"] == "account" for i in r["inputs"])]
check("record-rfc4733-digits", bool(acct) and acct[0]["inputs"][0]["digits"] == "3", json.dumps(acct[0]["inputs"]) if acct else "none")
check("record-sensitive-redacted", bool(acct) and acct[0]["inputs"][-1]["digits"] == "***" and "12345678" not in json.dumps(records))
check("record-sip-info-digits", bool(with_input("4321")), "PIN 4321 recorded")
tr = [r for r in records if r["outcome"] == "transfer"]
check("record-transfer", len(tr) == 1 and tr[0]["destination"] == {"kind": "group", "value": "sales"}, json.dumps(tr[0]["destination"]) if tr else "none")
declined = [r for r in records if "support" in r["path"]]
check("record-transfer-declined", bool(declined) and declined[0]["outcome"] == "hangup" and "goodbye" in declined[0]["path"])
hung = [r for r in records if r["outcome"] == "caller-hangup"]
check("record-caller-hangup", len(hung) >= 2, f"{len(hung)} caller-hangup records (prompt test and mid-menu)")
pins = set(expect["pins"])
got = {i["digits"] for r in records for i in r["inputs"] if i["node"] == "pin"}
check("record-concurrent-pins", pins <= got, f"{len(pins & got)}/{len(pins)} PINs")
if not pins <= got:  # what the calls of the missing PINs did instead
    print("  missing PINs: " + " ".join(sorted(pins - got)), flush=True)
    for r in records:
        from_load = "load@" in (r.get("from") or "")
        if (from_load or "pin" in r["path"]) and not any(i["node"] == "pin" and i["digits"] in pins for i in r["inputs"]):
            print("  " + json.dumps({k: r.get(k) for k in ("id", "from", "outcome", "path", "inputs", "destination", "error", "start", "answer", "end")}), flush=True)
rec_dir = os.path.join(work, "recordings")
files = [os.path.join(rec_dir, f) for f in os.listdir(rec_dir)] if os.path.isdir(rec_dir) else []
if files:
    with wave.open(files[0]) as w:
        rate, n, data = w.getframerate(), w.getnframes(), w.readframes(w.getnframes())
    s = struct.unpack("<%dh" % (len(data) // 2), data)
    rms = math.sqrt(sum(x * x for x in s) / max(1, len(s)))
    check("voicemail-wav", rate == 8000 and n > 8000 and rms > 1500, f"{n / 8000:.2f} s at {rate} Hz, RMS {rms:.0f}")
else:
    check("voicemail-wav", False, "no recording")
print("RECORDS %d passed, %d failed" % (results.count(True), results.count(False)))
sys.exit(0 if all(results) else 1)
