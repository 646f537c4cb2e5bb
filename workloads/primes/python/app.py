"""primes-python: computes all primes <= max, n times over (the Power Tuning CPU-bound example: "compute
1,000 times all prime numbers <= 1M", there with a numpy sieve), with a pure-Python sieve."""
import time


def sieve(limit):
    """A bytearray whose item i is 1 if i is prime, for 0 <= i <= limit. Crossing out by slice assignment
    keeps the inner loop in C, as numpy's sieve does, without numpy."""
    is_prime = bytearray([1]) * (limit + 1)
    is_prime[0:2] = b"\x00\x00"
    for i in range(2, int(limit ** 0.5) + 1):
        if is_prime[i]:
            is_prime[i * i::i] = bytes(len(range(i * i, limit + 1, i)))
    return is_prime


def int_param(event, name, default, low, high):
    value = event.get(name, default)
    if not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer between {low} and {high}")
    return value


def handler(event, context):
    n = int_param(event, "n", 10, 1, 1_000_000)
    limit = int_param(event, "max", 1_000_000, 2, 1_000_000_000)
    started = time.perf_counter()
    for _ in range(n):
        count = sieve(limit).count(1)
    return {"count": count, "n": n, "max": limit, "duration_ms": (time.perf_counter() - started) * 1000}
