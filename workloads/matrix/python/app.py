"""matrix-python: the matrix-cpp workload in pure Python (plain lists, no numpy): inverts an n x n random
matrix by LU decomposition with partial pivoting and returns a checksum and max |A·A⁻¹ − I|."""
import random
import time


def random_matrix(n, seed):
    generator = random.Random(seed)
    return [[generator.uniform(-1.0, 1.0) for _ in range(n)] for _ in range(n)]


def lu_decompose(a):
    """Factors PA = LU in place (L below the diagonal, unit diagonal implied; U on and above it) and
    returns the permutation: row i of PA is row order[i] of A."""
    n = len(a)
    order = list(range(n))
    for k in range(n):
        pivot = max(range(k, n), key=lambda i: abs(a[i][k]))
        if a[pivot][k] == 0.0:
            raise ArithmeticError("the matrix is singular")
        a[k], a[pivot] = a[pivot], a[k]
        order[k], order[pivot] = order[pivot], order[k]
        pivot_row = a[k]
        for i in range(k + 1, n):
            row = a[i]
            factor = row[k] = row[k] / pivot_row[k]
            row[k + 1:] = [value - factor * upper for value, upper in zip(row[k + 1:], pivot_row[k + 1:])]
    return order


def subtract_scaled(target, source, factor):
    return [value - factor * other for value, other in zip(target, source)]


def invert_factored(lu, order):
    """Solves LU X = P for X = A⁻¹: forward substitution with L, then back substitution with U."""
    n = len(lu)
    x = [[1.0 if j == order[i] else 0.0 for j in range(n)] for i in range(n)]
    for i in range(n):
        for k in range(i):
            x[i] = subtract_scaled(x[i], x[k], lu[i][k])
    for i in reversed(range(n)):
        for k in range(i + 1, n):
            x[i] = subtract_scaled(x[i], x[k], lu[i][k])
        x[i] = [value / lu[i][i] for value in x[i]]
    return x


def residual(a, x):
    """max |A·X − I| over every entry."""
    n = len(a)
    columns = list(zip(*x))
    return max(abs(sum(p * q for p, q in zip(a[i], columns[j])) - (1.0 if i == j else 0.0))
               for i in range(n) for j in range(n))


def handler(event, context):
    n = int(event.get("n", 120))
    seed = int(event.get("seed", 42))
    if not 1 <= n <= 2000:
        raise ValueError("n must be between 1 and 2000")
    started = time.perf_counter()
    a = random_matrix(n, seed)
    lu = [row[:] for row in a]
    inverse = invert_factored(lu, lu_decompose(lu))
    result = {"n": n, "seed": seed, "checksum": sum(map(sum, inverse)),
              "invert_ms": (time.perf_counter() - started) * 1000}
    if event.get("verify", True):
        verify_started = time.perf_counter()
        result["max_residual"] = residual(a, inverse)
        result["verify_ms"] = (time.perf_counter() - verify_started) * 1000
    result["duration_ms"] = (time.perf_counter() - started) * 1000
    return result
