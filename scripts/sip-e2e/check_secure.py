"""After the secure e2e run: the SRTP calls' records (suite, nothing
dropped, the PIN chosen by RFC 4733 over SRTP), and the keys PJSIP saw in
the SDP of both sides (WORK/pjsip.log) in neither the serve log, its
standard output, nor the call records."""
import json, os, re, sys
work = sys.argv[1]
results = []
def check(name, ok, detail=""):
    results.append(ok); print(("PASS " if ok else "FAIL ") + name + (" " + detail if detail else ""), flush=True)

records = [json.loads(l) for l in open(os.path.join(work, "records.jsonl")) if l.strip()]
secure = [r for r in records if (r.get("media") or {}).get("srtp")]
check("record-srtp", len(secure) >= 2 and all(r["media"]["srtp"]["suite"].startswith("AES_CM_128_HMAC_SHA1_") for r in secure),
      json.dumps([r.get("media") for r in records]))
pin = [r for r in secure if any(i["digits"] == "4321" for i in r["inputs"])]
check("record-srtp-dtmf", len(pin) == 1 and pin[0]["inputs"][0]["digits"] == "4", json.dumps(pin[0]["inputs"]) if pin else "none")
check("record-srtp-nothing-dropped",
      all(r["media"]["srtp"]["packetsDropped"] == {"replay": 0, "auth": 0, "other": 0} for r in secure),
      json.dumps([r["media"]["srtp"]["packetsDropped"] for r in secure]))

pjlog = open(os.path.join(work, "pjsip.log"), errors="replace").read()
keys = set(re.findall(r"a=crypto:\d+ AES_CM_128_HMAC_SHA1_(?:80|32) inline:([A-Za-z0-9+/]{38}[A-Za-z0-9+/=]{2})", pjlog))
# Both sides' keys: PJSIP's offers and ivrc's answers.
check("keys-seen-in-sdp", len(keys) >= 4, f"{len(keys)} AES_CM_128 keys in the SDP PJSIP sent and received")
leaks = []
for name in ("serve.err", "serve.out", "records.jsonl"):
    path = os.path.join(work, name)
    text = open(path, errors="replace").read() if os.path.exists(path) else ""
    leaks += [(name, k[:6] + "...") for k in keys if k in text or k.rstrip("=") in text]
check("keys-not-logged", not leaks and bool(keys), json.dumps(leaks))
sys.exit(0 if all(results) else 1)
