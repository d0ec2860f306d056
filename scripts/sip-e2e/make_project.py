"""Writes the e2e project: a manifest (sip.pbx is the PJSIP endpoint, so a
transfer comes back to it), one flow, and prompt/caller audio."""
import os, sys
from make_audio import write_wav, bursts

work, pj_port = sys.argv[1], sys.argv[2]
proj = os.path.join(work, "project")
os.makedirs(os.path.join(proj, "flows"), exist_ok=True)
os.makedirs(os.path.join(proj, "audio"), exist_ok=True)

# The greeting: an on/off envelope over 1.6 s (compared with what PJSIP hears).
prompt = bursts([(200, 12000), (150, 0), (400, 6000), (100, 0), (150, 14000), (200, 0), (400, 9000)], 440)
write_wav(os.path.join(proj, "audio", "greeting.wav"), prompt)
write_wav(os.path.join(work, "greeting-reference.wav"), prompt)
# The menu prompt, long enough to hang up in the middle of it (16 kHz: resampled by the server).
write_wav(os.path.join(proj, "audio", "menu.wav"), bursts([(4000, 5000)], 660, 16000), 16000)
# What the caller says into the voicemail.
write_wav(os.path.join(work, "caller-voice.wav"), bursts([(2500, 10000)], 800))

open(os.path.join(proj, "ivr-project.yaml"), "w").write(f"""name: e2e
sip:
  pbx: "127.0.0.1:{pj_port}"
  trunk: trunk.example
""")
open(os.path.join(proj, "flows", "main.yaml"), "w").write("""ivr: main
extension: "100"
start: welcome
nodes:
  welcome:
    - play: {file: audio/greeting.wav, transcript: "Welcome"}
    - goto: main-menu
  main-menu:
    menu:
      prompt: {play: {file: audio/menu.wav, transcript: "Press 1 for sales, 2 for voicemail, 3 for your account, 4 for a PIN, 5 for support"}}
      options:
        "1": sales
        "2": voicemail
        "3": account
        "4": pin
        "5": support
      timeout: 20s
      on-exhausted: hangup
  sales:
    transfer: {group: sales, timeout: 10s, on-fail: goodbye}
  support:
    transfer: {extension: "999", timeout: 10s, on-fail: goodbye}
  voicemail:
    - record: {into: message, max: 8s, beep: false, finish-on: "#", silence: 4s}
    - hangup
  account:
    - capture:
        prompt: {say: "Enter your account number, then press hash."}
        into: account
        min: 6
        max: 10
        sensitive: true
        timeout: 10s
    - goto: goodbye
  pin:
    - capture:
        prompt: {say: "Enter your PIN, then press hash."}
        into: pin
        min: 4
        max: 4
        timeout: 10s
    - goto: goodbye
  goodbye:
    - say: Goodbye.
    - hangup
""")
