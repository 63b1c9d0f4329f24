"""No reference leaks over 10^5 cost calls: the arguments and return
values a solve hands around are released (release Python has no
sys.gettotalrefcount, so count references to known objects and watch
memory with tracemalloc)."""
import gc
import sys
import tracemalloc

import augur


def test_return_values_and_the_cost_are_not_leaked():
    ret = 1e300          # one float object, returned by every call
    calls = [0]

    def cost(x):
        calls[0] += 1
        return ret
    before_ret = sys.getrefcount(ret)
    before_cost = sys.getrefcount(cost)
    for _ in range(10):
        augur.minimize(cost, [0.0, 0.0], method="de", seed=1,
                       termination=augur.termination.VTR(0, -1),   # never fires
                       options={"maxfev": 10**4, "maxiter": float("inf")})
    assert calls[0] >= 10**5
    gc.collect()
    assert sys.getrefcount(ret) == before_ret
    assert sys.getrefcount(cost) == before_cost


def test_arguments_are_released():
    kept = []

    def cost(x):
        if len(kept) < 3:
            kept.append(x)
        return float(x[0] * x[0] + x[1] * x[1])
    augur.minimize(cost, [1.0, 1.0], options={"maxfev": 1000})
    # an argument the cost kept is owned by the cost alone (and by
    # getrefcount's own argument)
    assert len(kept) == 3
    assert [sys.getrefcount(kept[i]) for i in range(3)] == [2, 2, 2]


def test_memory_is_flat_over_1e5_calls():
    def cost(x):
        return float(x[0] * x[0] + x[1] * x[1] + 1.0)

    def run():
        augur.minimize(cost, [1.0, 1.0], method="de", seed=2,
                       termination=augur.termination.VTR(0, -1),
                       options={"maxfev": 2 * 10**4, "maxiter": float("inf")})
    run()
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for _ in range(5):   # 10^5 calls
            run()
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert grown < 64 * 1024, f"{grown} bytes kept after 10^5 calls"
