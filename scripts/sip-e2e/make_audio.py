"""The e2e projects' audio: 16-bit mono WAVs of sine bursts."""
import math, struct, wave

def write_wav(path, samples, rate=8000):
    with wave.open(path, "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", max(-32767, min(32767, int(s)))) for s in samples))

def bursts(pattern, hz, rate=8000):
    """(milliseconds, amplitude) segments of a sine: a recognisable energy envelope."""
    out, n = [], 0
    for ms, amp in pattern:
        for _ in range(ms * rate // 1000):
            out.append(amp * math.sin(2 * math.pi * hz * n / rate)); n += 1
    return out
