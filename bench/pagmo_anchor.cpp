// pagmo_anchor.cpp - pagmo2 (esa/pagmo2) as an anchor of bench_solvers:
// the C functions of bench_pagmo.h over pagmo's cmaes (with IPOP
// restarts), sade, de1220, xnes and pso.
//
// pagmo's contract is a problem (a "user-defined problem": fitness and
// bounds) and an algorithm whose evolve() turns a population into a
// better one. The problem here is the bench's case: fitness is
// bench_problem_eval, so pagmo's evaluations are counted, bounded by the
// budget and judged by the same tracker as every other library's. pagmo has
// no stop value and no evaluation limit: the fitness throws `run_over`
// after the evaluation that reaches the stop value (fmin + 1e-7) or spends
// the budget, and the run ends there. Each algorithm keeps its own tests
// (ftol, xtol, 1e-6 by default); when one fires evolve() returns and the
// bench's loop restarts it like any other method.
//
// Settings are pagmo's defaults except:
// - generations: unlimited in effect (the budget ends the run);
// - cmaes and xnes: force_bounds = true, so they never evaluate outside the
//   box (augur's and NLopt's solvers never do either);
// - population sizes, which pagmo leaves to the user: cmaes and xnes
//   4 + floor(3 ln n) (Hansen's default, augur's cmaes's too); sade and
//   de1220 10 n (augur's de); pso 40 (augur's pso);
// - cmaes runs IPOP inside one call (Auger and Hansen 2005, as augur's
//   ipop): up to 9 restarts, each from a fresh random population of twice
//   the size of the last, while the budget allows a whole generation.
// pagmo runs single-threaded: no island, no archipelago, no batch
// evaluator; populations and algorithms are seeded from the bench's seed.
#include "bench_pagmo.h"

#include <cmath>
#include <cstdio>
#include <exception>
#include <utility>
#include <vector>

#include <pagmo/algorithm.hpp>
#include <pagmo/algorithms/cmaes.hpp>
#include <pagmo/algorithms/de1220.hpp>
#include <pagmo/algorithms/pso.hpp>
#include <pagmo/algorithms/sade.hpp>
#include <pagmo/algorithms/xnes.hpp>
#include <pagmo/config.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>
#include <pagmo/types.hpp>

namespace
{

const unsigned GEN_UNLIMITED = 1000000000u; // the budget ends a run first
const unsigned IPOP_RESTARTS = 9;           // as augur's ipop
const std::size_t PSO_SWARM = 40;           // as augur's pso

// Thrown by a fitness to end the run: stop value reached or budget spent.
struct run_over {
};

unsigned seed32(std::uint64_t s)
{
    return static_cast<unsigned>(s ^ (s >> 32));
}

// The bench's case as a pagmo problem. pagmo copies its problems, so this
// holds only a pointer to the tracker. Points are clipped into the box as
// a safeguard; with force_bounds (cmaes, xnes) and pagmo's DE and PSO,
// which resample or clamp, none should arrive outside.
struct tracked {
    bench_problem *p = nullptr;

    pagmo::vector_double fitness(const pagmo::vector_double &x) const
    {
        double y[BENCH_MAXN];
        for (std::size_t i = 0; i < p->n; i++)
            y[i] = std::fmin(std::fmax(x[i], p->lb[i]), p->ub[i]);
        double f = bench_problem_eval(p, y);
        if (f <= bench_problem_stopval(p) || bench_problem_remaining(p) == 0)
            throw run_over{};
        return {f};
    }
    std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const
    {
        return {pagmo::vector_double(p->lb, p->lb + p->n),
                pagmo::vector_double(p->ub, p->ub + p->n)};
    }
    pagmo::thread_safety get_thread_safety() const
    {
        return pagmo::thread_safety::none;
    }
};

// f = sum x_i on [-1, 1]^n, counted, for the overhead table.
struct trivial {
    std::size_t n = 0, budget = 0;
    std::size_t *count = nullptr;

    pagmo::vector_double fitness(const pagmo::vector_double &x) const
    {
        double f = 0;
        for (std::size_t i = 0; i < n; i++)
            f += x[i];
        if (++*count >= budget)
            throw run_over{};
        return {f};
    }
    std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const
    {
        return {pagmo::vector_double(n, -1.0), pagmo::vector_double(n, 1.0)};
    }
    pagmo::thread_safety get_thread_safety() const
    {
        return pagmo::thread_safety::none;
    }
};

std::size_t cma_lambda(std::size_t n)
{
    return 4 + static_cast<std::size_t>(std::floor(3 * std::log(static_cast<double>(n))));
}

pagmo::algorithm make_algorithm(bench_pagmo_alg alg, unsigned seed)
{
    switch (alg) {
    case BENCH_PAGMO_CMAES_IPOP:
        return pagmo::algorithm(pagmo::cmaes(GEN_UNLIMITED, -1, -1, -1, -1, 0.5, 1e-6,
                                             1e-6, false, true, seed));
    case BENCH_PAGMO_SADE:
        return pagmo::algorithm(pagmo::sade(GEN_UNLIMITED, 2u, 1u, 1e-6, 1e-6, false, seed));
    case BENCH_PAGMO_DE1220:
        return pagmo::algorithm(pagmo::de1220(GEN_UNLIMITED,
                                              pagmo::de1220_statics<void>::allowed_variants,
                                              1u, 1e-6, 1e-6, false, seed));
    case BENCH_PAGMO_XNES:
        return pagmo::algorithm(pagmo::xnes(GEN_UNLIMITED, -1, -1, -1, -1, 1e-6, 1e-6,
                                            false, true, seed));
    default:
        return pagmo::algorithm(pagmo::pso(GEN_UNLIMITED, 0.7298, 2.05, 2.05, 0.5, 5u, 2u,
                                           4u, false, seed));
    }
}

std::size_t population_size(bench_pagmo_alg alg, std::size_t n)
{
    switch (alg) {
    case BENCH_PAGMO_CMAES_IPOP:
    case BENCH_PAGMO_XNES:
        return cma_lambda(n);
    case BENCH_PAGMO_SADE:
    case BENCH_PAGMO_DE1220:
        return 10 * n;
    default:
        return PSO_SWARM;
    }
}

// One evolve() from a fresh population of size pop; returns normally when
// the algorithm's own test ends it, throws run_over otherwise.
void evolve_once(const pagmo::problem &prob, bench_pagmo_alg alg, std::size_t pop_size,
                 std::uint64_t seed)
{
    pagmo::population pop(prob, pop_size, seed32(bench_mix(seed, 1)));
    make_algorithm(alg, seed32(bench_mix(seed, 2))).evolve(pop);
}

// IPOP: the population doubles at each restart; no run starts that could
// not make one generation within what is left.
void cmaes_ipop(const pagmo::problem &prob, std::size_t n,
                std::size_t (*remaining)(const void *), const void *ctx, std::uint64_t seed)
{
    std::size_t lambda = cma_lambda(n);
    for (unsigned k = 0; k <= IPOP_RESTARTS; k++, lambda *= 2) {
        if (remaining(ctx) < lambda)
            return;
        evolve_once(prob, BENCH_PAGMO_CMAES_IPOP, lambda, bench_mix(seed, 100 + k));
    }
}

std::size_t problem_left(const void *ctx)
{
    return bench_problem_remaining(static_cast<const bench_problem *>(ctx));
}

struct trivial_left {
    std::size_t budget;
    const std::size_t *count;
};

std::size_t trivial_remaining(const void *ctx)
{
    const trivial_left *t = static_cast<const trivial_left *>(ctx);
    return *t->count < t->budget ? t->budget - *t->count : 0;
}

} // namespace

extern "C" int bench_pagmo_available(char *why, std::size_t cap)
{
    if (cap)
        why[0] = '\0';
    return 1;
}

extern "C" const char *bench_pagmo_version(void)
{
    return PAGMO_VERSION;
}

extern "C" int bench_pagmo_run(bench_pagmo_alg alg, bench_problem *p, std::uint64_t seed,
                               char *err, std::size_t cap)
{
    try {
        tracked t;
        t.p = p;
        pagmo::problem prob(t);
        if (alg == BENCH_PAGMO_CMAES_IPOP)
            cmaes_ipop(prob, p->n, problem_left, p, seed);
        else
            evolve_once(prob, alg, population_size(alg, p->n), seed);
    } catch (const run_over &) {
        // stop value reached or budget spent: the run is over
    } catch (const std::exception &e) {
        std::snprintf(err, cap, "pagmo: %s", e.what());
        return -1;
    }
    return 0;
}

extern "C" std::size_t bench_pagmo_trivial(bench_pagmo_alg alg, std::size_t n,
                                           std::size_t budget, std::uint64_t seed)
{
    std::size_t count = 0;
    try {
        trivial t;
        t.n = n;
        t.budget = budget;
        t.count = &count;
        pagmo::problem prob(t);
        if (alg == BENCH_PAGMO_CMAES_IPOP) {
            trivial_left left{budget, &count};
            cmaes_ipop(prob, n, trivial_remaining, &left, seed);
        } else {
            evolve_once(prob, alg, population_size(alg, n), seed);
        }
    } catch (const run_over &) {
    } catch (const std::exception &) {
    }
    return count;
}
