"""Writes the bridged-transfer e2e project: a manifest whose sip.pbx is the
PJSIP endpoint (so extension 201-203 are its agents) and whose transfers
default to `auto`, one flow with a bridge per scenario, and the tones the
caller and the agents play."""
import os, sys
from make_audio import write_wav, bursts

work, pj_port = sys.argv[1], sys.argv[2]
proj = os.path.join(work, "project")
os.makedirs(os.path.join(proj, "flows"), exist_ok=True)
os.makedirs(os.path.join(proj, "audio"), exist_ok=True)
write_wav(os.path.join(proj, "audio", "menu.wav"), bursts([(6000, 5000)], 440))
write_wav(os.path.join(proj, "audio", "whisper.wav"), bursts([(800, 8000)], 300))
write_wav(os.path.join(proj, "audio", "failed.wav"), bursts([(1500, 8000)], 1000))
# The DTMF row and column tones: the caller says 697 Hz, the agent 1209 Hz.
write_wav(os.path.join(work, "caller-697.wav"), bursts([(20000, 9000)], 697))
write_wav(os.path.join(work, "agent-1209.wav"), bursts([(20000, 9000)], 1209))

open(os.path.join(proj, "ivr-project.yaml"), "w").write(f"""name: bridge-e2e
sip:
  pbx: "127.0.0.1:{pj_port}"
  transfer: auto
""")
open(os.path.join(proj, "flows", "bridge.yaml"), "w").write("""ivr: bridge
extension: "100"
start: main-menu
nodes:
  main-menu:
    menu:
      prompt: {play: {file: audio/menu.wav, transcript: "1 an agent, 2 a busy agent, 3 an agent who must confirm, 4 auto"}}
      options:
        "1": agent
        "2": busy-agent
        "3": confirming-agent
        "4": auto-agent
      timeout: 20s
      on-exhausted: hangup
  agent:
    transfer: {extension: "201", via: bridge, record: true, timeout: 10s, on-fail: failed}
  busy-agent:
    transfer: {extension: "202", via: bridge, timeout: 10s, on-fail: failed}
  confirming-agent:
    transfer:
      extension: "203"
      via: bridge
      whisper: [{play: {file: audio/whisper.wav, transcript: "A caller from the menu; press 1 to accept"}}]
      confirm: "1"
      confirm-timeout: 3s
      timeout: 10s
      on-fail: failed
  auto-agent:
    transfer: {extension: "201", timeout: 10s, on-fail: failed}
  failed:
    - play: {file: audio/failed.wav, transcript: "Nobody could take your call"}
    - hangup
""")
