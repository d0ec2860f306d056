"""What the e2e drivers compare audio by: the energy envelope of a WAV (RMS
per 20 ms frame), the best correlation of one envelope inside another, and
the Goertzel power of one frequency."""
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

def samples(path):
    """The 16-bit samples of a mono WAV (PJSIP's recordings included) and its rate."""
    try:
        with wave.open(path) as w:
            rate, data = w.getframerate(), w.readframes(w.getnframes())
    except (wave.Error, EOFError):
        rate, data = 8000, open(path, "rb").read()[44:]
        data = data[:len(data) // 2 * 2]
    return struct.unpack("<%dh" % (len(data) // 2), data), rate

def goertzel(s, hz, rate):
    """Goertzel power of `hz` in the samples `s`, normalised by their number."""
    if not s: return 0.0
    coeff = 2 * math.cos(2 * math.pi * hz / rate)
    q1 = q2 = 0.0
    for x in s:
        q1, q2 = x + coeff * q1 - q2, q1
    return (q1 * q1 + q2 * q2 - coeff * q1 * q2) / len(s) ** 2

def tone_power(path, hz, last_seconds=None):
    """Goertzel power of `hz` in a WAV (its last `last_seconds` only, when given):
    compare two frequencies of one file."""
    s, rate = samples(path)
    if last_seconds: s = s[-int(last_seconds * rate):]
    return goertzel(s, hz, rate)
