/* auto_portfolio.c - auto's second phase: after the first CMA-ES run
 * (default population, auto.c), two members share the evaluations left
 * before the polish, stepped one generation at a time:
 *
 *   CMA-ES - IPOP's larger runs (Auger and Hansen 2005): run k has
 *            population lambda0 2^k, k = 1, 2, ... (run 0 was the first
 *            run), its mean drawn in the box, Hansen's stopping tests;
 *   SHADE  - (Tanabe and Fukunaga 2013) de2 with adaptation "shade", one
 *            batch a generation, "shade-population" members (0: 2 n, at
 *            least 10), a new run from a new population once its best
 *            has changed by at most 1e-6 over 30 generations.
 *
 * Why two: CMA-ES learns rotations and ill-conditioning, but its restarts
 * keep missing on separable multimodal landscapes (Rastrigin, Schwefel,
 * Michalewicz), which SHADE's coordinate-wise crossover solves; SHADE
 * fails on rotated and weakly structured ones (rotated Rastrigin,
 * Weierstrass, Schaffer F7). Sharing one budget by shares of evaluations
 * is Peng et al.'s algorithm portfolio (2010); giving more to the member
 * that found the best recently is NBIPOP-aCMA-ES's rule for its two
 * regimes (Loshchilov 2013).
 *
 * Shares: CMA-ES leads, with "lead-share" (0.75) of the evaluations,
 * except while SHADE is in form: its current run or the one before it
 * improved the portfolio's best f; then SHADE has that share. Out of
 * form, SHADE's rest (a quarter) is divided by the number of its runs in
 * a row that ended without improving the best, once that is 2 or more.
 * So SHADE starts at a quarter, keeps the lead only while it keeps
 * improving, and fades while it keeps failing: on the separable cases
 * its runs improve the best again and again, on rotated Rastrigin they
 * never do, and there every evaluation it takes is one IPOP's growing
 * runs lack (rot-rastrigin-5 lost a seed of 20 without the fading). The
 * due member is the one with the
 * most credit: every evaluation a member makes adds share_j to each
 * member j's credit and takes one from its own, so the members' counts
 * follow their shares at generation granularity and a change of shares
 * applies from then on (weighted fair queueing, no burst to make up). A
 * member whose next generation does not fit in what is left stops; the
 * other goes on alone. What was measured against other rules (a lead
 * for whoever improved the best last; halves; a larger lead; 3 n and
 * 10 n SHADE members) is in docs/BENCHMARKS.md, "auto: a CMA-ES and
 * SHADE portfolio".
 *
 * Each generation is one augur_solver_step of the member's current run,
 * evaluating the user's cost through this solver's map (one batch) with
 * its evaluation monitors, bounds, sign and rules (augur__auto_hand_over);
 * its evaluation limit is raised before each step to its count plus what
 * the portfolio has left, so the total never passes `end`. Counts and
 * the best point are absorbed into the auto solver after every step. Run
 * k of CMA-ES is seeded from (seed, 2 + 2k), of SHADE from (seed, 3 + 2k);
 * the schedule depends only on counts and energies, so a seed gives the
 * same run on every map. A termination condition set on auto goes to
 * every run, as to the first one (replacing cmaes's tests and SHADE's
 * stagnation test). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auto_int.h"

enum { CMAES, SHADE, MEMBERS };
static const char *const member_names[] = {"CMA-ES", "SHADE"};

typedef struct member {
    augur_solver *run;    /* the current run; NULL between runs */
    size_t runs;          /* runs that made a step (seeds and sizes count them) */
    size_t spent;         /* evaluations made */
    size_t idle;          /* consecutive generations that evaluated nothing */
    double credit;
    int done;             /* its next generation does not fit */
    /* SHADE is in form (leads) while either holds */
    int improved_now;     /* the current run improved the portfolio's best */
    int improved_last;    /* so did the run before it */
    size_t misses;        /* runs in a row that ended without improving it */
} member;

typedef struct portfolio {
    member m[MEMBERS];
    size_t end;
} portfolio;

static int in_form(const member *m)
{
    return m->improved_now || m->improved_last;
}

static double share_of(const auto_state *st, const portfolio *p, int who)
{
    const member *m = &p->m[SHADE];
    double misses = m->misses > 1 ? (double)m->misses : 1;
    double shade = in_form(m) ? st->lead_share : (1 - st->lead_share) / misses;
    return who == SHADE ? shade : 1 - shade;
}

/* The member due next, or -1 when both are done. */
static int due(const portfolio *p)
{
    if (p->m[CMAES].done)
        return p->m[SHADE].done ? -1 : SHADE;
    if (p->m[SHADE].done)
        return CMAES;
    return p->m[SHADE].credit > p->m[CMAES].credit ? SHADE : CMAES;
}

static size_t generation_size(const augur_solver *r)
{
    return r->type->population_size(r->state, r->n);
}

/* Small, for speed: on Rastrigin-10, Michalewicz-5 and -10 and
 * Schwefel-5 (10 seeds each, SHADE nearly alone) 2 n and 3 n members
 * needed a third to a half of the evaluations of de's 10 n; the
 * stagnation restarts make up for the diversity given away. */
static double shade_population(const auto_state *st, size_t n)
{
    if (st->shade_pop > 0)
        return st->shade_pop;
    return n < 5 ? 10 : 2 * (double)n;
}

/* The member's own settings for its next run. */
static int configure(augur_solver *s, const auto_state *st, augur_solver *in, int who,
                     size_t k)
{
    if (who == SHADE) {
        int rc = augur_solver_set_param_string(in, "adaptation", "shade");
        if (rc == AUGUR_OK)
            rc = augur_solver_set_param(in, "population-size", shade_population(st, s->n));
        if (rc == AUGUR_OK && !s->term)
            rc = augur_solver_set_termination(in,
                                              augur_term_change_over_generation(1e-6, 30));
        return rc;
    }
    /* IPOP's run k + 1: the first run, with lambda0, was auto's first phase */
    double lambda = ldexp((double)generation_size(in), (int)(k < 30 ? k + 1 : 30));
    return augur_solver_set_param(in, "population",
                                  lambda < AUGUR_MAX_POINTS ? lambda : AUGUR_MAX_POINTS);
}

/* The member's next run, seeded, configured and handed this solver's
 * settings; it runs from its first step. */
static int start_run(augur_solver *s, const auto_state *st, portfolio *p, int who)
{
    member *m = &p->m[who];
    augur_solver *in = augur_solver_create(who == CMAES ? "cmaes" : "de2", s->n);
    if (!in)
        return augur_solver_fail(s, AUGUR_ENOMEM, "auto: out of memory");
    int rc = augur_solver_set_seed(in, augur__mix_seed(s->seed, 2 + 2 * m->runs + (size_t)who));
    if (rc == AUGUR_OK)
        rc = configure(s, st, in, who, m->runs);
    if (rc == AUGUR_OK && s->term) {
        augur_termination *t = augur_term_copy(s->term);
        rc = t ? augur_solver_set_termination(in, t) : AUGUR_ENOMEM;
    }
    if (rc != AUGUR_OK) {
        augur_solver_fail(s, rc, "auto: %s run: %s", member_names[who], augur_solver_errmsg(in));
        augur_solver_destroy(in);
        return rc;
    }
    if ((rc = augur__auto_hand_over(s, in)) != AUGUR_OK) {
        augur_solver_destroy(in);
        return rc;
    }
    m->run = in;
    m->idle = 0;
    return AUGUR_OK;
}

static void end_run(member *m)
{
    if (m->run) {
        m->improved_last = m->improved_now;
        m->misses = m->improved_now ? 0 : m->misses + 1;
    }
    m->improved_now = 0;
    augur_solver_destroy(m->run);
    m->run = NULL;
}

/* Take a step's evaluations and best point into s, note whether the run
 * improved the portfolio's best, and credit the shares. */
static void settle(augur_solver *s, const auto_state *st, portfolio *p, int who,
                   size_t used)
{
    member *m = &p->m[who];
    double before = s->best_f;
    int had = s->has_best;
    if (used) {
        augur__solver_absorb(s, augur_solver_best_solution(m->run),
                             augur_solver_best_energy(m->run), used);
        if (!had || s->best_f < before)
            m->improved_now = 1;
    }
    for (int j = 0; j < MEMBERS; j++)
        p->m[j].credit += (double)used * share_of(st, p, j);
    m->credit -= (double)used;
    m->spent += used;
    m->idle = used ? 0 : m->idle + 1;
}

static int member_failed(augur_solver *s, int who, const member *m, int rc)
{
    return augur_solver_fail(s, rc, "auto: %s run: %s", member_names[who],
                             augur_solver_errmsg(m->run));
}

/* One generation of the member due. A run counts once it has stepped: one
 * started when its first generation no longer fits is not a run. */
static int step(augur_solver *s, const auto_state *st, portfolio *p, int who)
{
    member *m = &p->m[who];
    size_t left = p->end - s->evaluations;
    int fresh = !m->run;
    if (fresh) {
        int rc = start_run(s, st, p, who);
        if (rc != AUGUR_OK)
            return rc;
    }
    if (generation_size(m->run) > left) {
        end_run(m);
        m->done = 1;
        return AUGUR_OK;
    }
    size_t before = augur_solver_evaluations(m->run);
    int rc = augur_solver_set_evaluation_limits(m->run, 0, before + left);
    if (rc == AUGUR_OK)
        rc = augur_solver_step(m->run, s->cost, s->data);
    if (rc < 0)
        return member_failed(s, who, m, rc);
    m->runs += fresh;
    settle(s, st, p, who, augur_solver_evaluations(m->run) - before);
    rc = augur_solver_terminated(m->run);
    if (rc < 0)
        return member_failed(s, who, m, rc);
    /* a run that evaluates nothing (every point refused) would spin */
    if (m->idle >= AUGUR__IDLE_STEPS)
        m->done = 1;
    if (rc > 0 || m->done)
        end_run(m);
    return AUGUR_OK;
}

int augur__auto_portfolio(augur_solver *s, auto_state *st, size_t end)
{
    portfolio p = {.end = end};
    int rc = AUGUR_OK, who;
    while (rc == AUGUR_OK && s->evaluations < end && !atomic_load(&s->stop_requested) &&
           (who = due(&p)) >= 0)
        rc = step(s, st, &p, who);
    for (int j = 0; j < MEMBERS; j++)
        end_run(&p.m[j]);
    size_t len = strlen(st->reason);
    if (p.m[CMAES].runs + p.m[SHADE].runs)
        snprintf(st->reason + len, sizeof st->reason - len,
                 "; then CMA-ES %zu runs, %zu evaluations; SHADE %zu runs, %zu evaluations",
                 p.m[CMAES].runs, p.m[CMAES].spent, p.m[SHADE].runs, p.m[SHADE].spent);
    return rc;
}
