"""What the e2e drivers compare a prompt by: the energy envelope of a WAV
(RMS per 20 ms frame) and the best correlation of one envelope inside another."""
import math, struct, wave

def envelope(path, frame=160):
    try:
        with wave.open(path) as w:
            rate, data = w.getframerate(), w.readframes(w.getnframes())
    except (wave.Error, EOFError):  # PJSIP finalises the header only on destroy: read the PCM after it
        rate, data = 8000, open(path, "rb").read()[44:]
        data = data[:len(data) // 2 * 2]
    s = struct.unpack("<%dh" % (len(data) // 2), data)
    step = frame * rate // 8000
    return [math.sqrt(sum(x * x for x in s[i:i + step]) / step) for i in range(0, len(s) - step, step)]

def best_correlation(ref, got):
    best = (-1.0, 0)
    n = len(ref)
    for lag in range(0, max(1, len(got) - n)):
        seg = got[lag:lag + n]
        if len(seg) < n: break
        ma, mb = sum(ref) / n, sum(seg) / n
        num = sum((a - ma) * (b - mb) for a, b in zip(ref, seg))
        den = math.sqrt(sum((a - ma) ** 2 for a in ref) * sum((b - mb) ** 2 for b in seg)) or 1
        best = max(best, (num / den, lag))
    return best
