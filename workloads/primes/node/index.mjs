// primes-node: computes all primes <= max, n times over (the Power Tuning CPU-bound example: "compute 1,000
// times all prime numbers <= 1M"), with a sieve over a Uint8Array.

// isPrime[i] is 1 if i is prime, for 0 <= i <= limit.
function sieve(limit) {
  const isPrime = new Uint8Array(limit + 1).fill(1);
  isPrime[0] = 0;
  isPrime[1] = 0;
  for (let i = 2; i * i <= limit; i++) {
    if (!isPrime[i]) continue;
    for (let multiple = i * i; multiple <= limit; multiple += i) isPrime[multiple] = 0;
  }
  return isPrime;
}

function countPrimes(limit) {
  const isPrime = sieve(limit);
  let count = 0;
  for (let i = 0; i < isPrime.length; i++) count += isPrime[i];
  return count;
}

function intParam(event, name, fallback, low, high) {
  const value = event[name] ?? fallback;
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new RangeError(`${name} must be an integer between ${low} and ${high}`);
  }
  return value;
}

export const handler = async (event) => {
  const n = intParam(event, 'n', 10, 1, 1_000_000);
  const max = intParam(event, 'max', 1_000_000, 2, 1_000_000_000);
  const started = performance.now();
  let count = 0;
  for (let round = 0; round < n; round++) count = countPrimes(max);
  return { count, n, max, duration_ms: performance.now() - started };
};
