"""fanout-worker: one task of the fanout job: counts the primes in [low, high), after waiting `sleep_ms` (a
stand-in for the I/O a real task does, such as fetching its input)."""
import math
import time


def count_primes(low, high):
    """The primes p with low <= p < high: the segment is crossed out by the primes up to sqrt(high)."""
    if high <= 2:
        return 0
    low = max(low, 2)
    root = math.isqrt(high - 1)
    small = bytearray([1]) * (root + 1)
    segment = bytearray([1]) * (high - low)
    for p in range(2, root + 1):
        if not small[p]:
            continue
        small[p * p::p] = bytes(len(range(p * p, root + 1, p)))
        first = max(p * p, -(-low // p) * p)
        segment[first - low::p] = bytes(len(range(first, high, p)))
    return segment.count(1)


def handler(event, context):
    started = time.perf_counter()
    time.sleep(int(event.get("sleep_ms", 0)) / 1000)
    count = count_primes(int(event["low"]), int(event["high"]))
    return {"count": count, "sandbox": context.log_stream_name, "duration_ms": (time.perf_counter() - started) * 1000}
