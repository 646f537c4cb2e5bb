// matrix-cpp: inverts an n x n random matrix by LU decomposition with partial pivoting (the Power Tuning
// "numpy: inverting 1500x1500 matrix" example) and, unless told not to, checks it: max |A·A⁻¹ − I|.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <lambdalab/runtime.hpp>
#include <numeric>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

#include "payload.hpp"

namespace rt = lambdalab::runtime;

namespace {

// A dense square matrix, row-major.
class Matrix {
  public:
    explicit Matrix(std::size_t n) : n_(n), values_(n * n, 0.0) {}
    std::size_t size() const { return n_; }
    double* row(std::size_t i) { return values_.data() + i * n_; }
    const double* row(std::size_t i) const { return values_.data() + i * n_; }
    double& at(std::size_t i, std::size_t j) { return values_[i * n_ + j]; }
    double at(std::size_t i, std::size_t j) const { return values_[i * n_ + j]; }
    void swap_rows(std::size_t a, std::size_t b) { std::swap_ranges(row(a), row(a) + n_, row(b)); }
    double sum() const { return std::accumulate(values_.begin(), values_.end(), 0.0); }

  private:
    std::size_t n_;
    std::vector<double> values_;
};

Matrix random_matrix(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 generator(seed);
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    Matrix a(n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) a.at(i, j) = uniform(generator);
    return a;
}

// dst -= factor * src over `count` values: the inner loop of every step below, always along a row so
// memory is read in order.
void subtract_scaled(double* __restrict dst, const double* __restrict src, double factor, std::size_t count) {
    for (std::size_t j = 0; j < count; ++j) dst[j] -= factor * src[j];
}

// Factors PA = LU in place (L below the diagonal with a unit diagonal, U on and above it) and returns
// the permutation: row i of PA is row order[i] of A.
std::vector<std::size_t> lu_decompose(Matrix& a) {
    const std::size_t n = a.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t k = 0; k < n; ++k) {
        std::size_t pivot = k;
        for (std::size_t i = k + 1; i < n; ++i)
            if (std::abs(a.at(i, k)) > std::abs(a.at(pivot, k))) pivot = i;
        if (a.at(pivot, k) == 0.0) throw std::domain_error("the matrix is singular");
        a.swap_rows(k, pivot);
        std::swap(order[k], order[pivot]);
        for (std::size_t i = k + 1; i < n; ++i) {
            const double factor = a.at(i, k) /= a.at(k, k);
            subtract_scaled(a.row(i) + k + 1, a.row(k) + k + 1, factor, n - k - 1);
        }
    }
    return order;
}

// Solves LU X = P for X = A⁻¹: forward substitution with L, then back substitution with U, on whole rows.
Matrix invert_factored(const Matrix& lu, const std::vector<std::size_t>& order) {
    const std::size_t n = lu.size();
    Matrix x(n);
    for (std::size_t i = 0; i < n; ++i) x.at(i, order[i]) = 1.0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < i; ++k) subtract_scaled(x.row(i), x.row(k), lu.at(i, k), n);
    for (std::size_t i = n; i-- > 0;) {
        for (std::size_t k = i + 1; k < n; ++k) subtract_scaled(x.row(i), x.row(k), lu.at(i, k), n);
        for (std::size_t j = 0; j < n; ++j) x.at(i, j) /= lu.at(i, i);
    }
    return x;
}

// max |A·X − I| over every entry, one row of the product at a time.
double residual(const Matrix& a, const Matrix& x) {
    const std::size_t n = a.size();
    std::vector<double> product(n);
    double worst = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        std::fill(product.begin(), product.end(), 0.0);
        for (std::size_t k = 0; k < n; ++k) subtract_scaled(product.data(), x.row(k), -a.at(i, k), n);
        product[i] -= 1.0;
        for (const double value : product) worst = std::max(worst, std::abs(value));
    }
    return worst;
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

rt::Result handle(const std::string& event) {
    const auto payload = workloads::parse_payload(event);
    const auto n = static_cast<std::size_t>(workloads::int_param(payload, "n", 1500, 1, 10'000));
    const auto seed = static_cast<std::uint64_t>(workloads::int_param(payload, "seed", 42, 0, INT64_MAX));
    const bool verify = payload.value("verify", true);

    const auto started = std::chrono::steady_clock::now();
    const Matrix a = random_matrix(n, seed);
    Matrix lu = a;
    const auto order = lu_decompose(lu);
    const Matrix inverse = invert_factored(lu, order);
    const double invert_ms = milliseconds_since(started);

    nlohmann::json result{{"n", n}, {"seed", seed}, {"checksum", inverse.sum()}, {"invert_ms", invert_ms}};
    if (verify) {
        const auto verify_started = std::chrono::steady_clock::now();
        result["max_residual"] = residual(a, inverse);
        result["verify_ms"] = milliseconds_since(verify_started);
    }
    result["duration_ms"] = milliseconds_since(started);
    return rt::Result::success(result.dump());
}

}  // namespace

int main() {
    return rt::run([](const std::string& event, const rt::Context&) { return handle(event); });
}
