"""PyTorch CPU reference timings for bench/run.ts: float64, same sizes, a given thread count.

Reads a JSON job from argv[1] ({"rows": [{"id", "kind", "sizes"}], "threads", "samples",
"min_sample_ms", "warmup_ms"}) and prints one JSON object: {"version", "medians": {id: ms per step}}, or
{"skip": reason} when torch cannot be imported. Timing mirrors bench/timing.ts: calibrate,
warm up, then the median of `samples` samples, each repeating the step for min_sample_ms.
"""
import json
import statistics
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print(json.dumps({"skip": f"torch is not importable by {sys.executable} ({e})"}))
    sys.exit(0)

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(0)


def leaf(*shape):
    return torch.randn(*shape, generator=gen).requires_grad_()


def step(leaves, loss_fn):
    def run():
        for t in leaves:
            t.grad = None
        loss_fn().backward()
    return run


def mlp(batch, inp, hid, out, act, loss_fn):
    x = torch.rand(batch, inp, generator=gen)
    w1, b1, w2, b2 = leaf(inp, hid), leaf(hid), leaf(hid, out), leaf(out)
    return step([w1, b1, w2, b2], lambda: loss_fn(act(x @ w1 + b1) @ w2 + b2))


def mlp_mnist(batch, inp, hid, out):
    y = torch.randint(0, out, (batch,), generator=gen)
    return mlp(batch, inp, hid, out, torch.relu, lambda logits: F.nll_loss(F.log_softmax(logits, 1), y))


def mlp_small(batch, inp, hid):
    t = torch.randn(batch, 1, generator=gen)
    return mlp(batch, inp, hid, 1, torch.tanh, lambda y: (y - t).pow(2).mean())


def sigmoid_square(N, a, b):
    x = leaf(N)
    ta = torch.tensor(a).requires_grad_()
    tb = torch.tensor(b).requires_grad_()
    return step([x, ta, tb], lambda: torch.sigmoid(ta * x + tb).pow(2).sum())


def bce_with_logits(N):
    x = leaf(N)
    t = torch.randint(0, 2, (N,), generator=gen).double()
    return step([x], lambda: F.binary_cross_entropy_with_logits(x, t))


def cross_entropy(N, C):
    x = leaf(N, C)
    y = torch.randint(0, C, (N,), generator=gen)
    return step([x], lambda: F.cross_entropy(x, y))


def triplet(N, D):
    a, p, n = leaf(N, D), leaf(N, D), leaf(N, D)
    return step([a, p, n], lambda: F.triplet_margin_loss(a, p, n, margin=1.0, p=2, eps=1e-6, swap=False))


def cosine(N, D):
    x1, x2 = leaf(N, D), leaf(N, D)
    y = torch.randint(0, 2, (N,), generator=gen).double() * 2 - 1
    return step([x1, x2], lambda: F.cosine_embedding_loss(x1, x2, y, margin=0.0))


def ctc(T, N, C, S):
    logits = leaf(T, N, C)
    targets = torch.randint(1, C, (N, S), generator=gen)
    il = torch.full((N,), T, dtype=torch.long)
    tl = torch.full((N,), S, dtype=torch.long)
    return step([logits], lambda: F.ctc_loss(F.log_softmax(logits, 2), targets, il, tl, blank=0, reduction="mean"))


def ebm_hinge(P, K):
    # torch has no EBM hinge loss: max(0, m + E(Y) - E(Ybar)), Ybar the lowest-energy wrong answer.
    energies = leaf(P, K)
    t = torch.randint(0, K, (P, 1), generator=gen)

    def loss():
        e_true = energies.gather(1, t).squeeze(1)
        e_bar = energies.scatter(1, t, float("inf")).min(1).values
        return torch.relu(1.0 + e_true - e_bar).mean()
    return step([energies], loss)


def conv1d(N, C, L, O, K):
    x = leaf(N, C, L)
    conv = torch.nn.Conv1d(C, O, K)
    return step([x, *conv.parameters()], lambda: conv(x).pow(2).mean())


def gru(T, N, I, H):
    x = leaf(T, N, I)
    net = torch.nn.GRU(I, H)
    return step([x, *net.parameters()], lambda: net(x)[0].pow(2).mean())


KINDS = {
    "mlp-mnist": mlp_mnist, "mlp-small": mlp_small, "sigmoid-square": sigmoid_square,
    "bce-with-logits": bce_with_logits, "cross-entropy": cross_entropy,
    "triplet": triplet, "cosine": cosine, "ctc": ctc, "ebm-hinge": ebm_hinge,
    "conv1d": conv1d, "gru": gru,
}


def time_iters(fn, n):
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) * 1000 / n


def median_ms(fn, samples, min_sample_ms, warmup_ms):
    once = time_iters(fn, 1)
    n = max(1, -(-min_sample_ms // max(once, 1e-4)))
    start = time.perf_counter()
    while (time.perf_counter() - start) * 1000 < warmup_ms:
        t = time_iters(fn, int(n))
        n = max(1, -(-min_sample_ms // max(t, 1e-4)))
    return statistics.median(time_iters(fn, int(n)) for _ in range(samples))


def main():
    job = json.loads(sys.argv[1])
    torch.set_num_threads(job["threads"])
    medians = {}
    for row in job["rows"]:
        fn = KINDS[row["kind"]](**row["sizes"])
        medians[row["id"]] = median_ms(fn, job["samples"], job["min_sample_ms"], job["warmup_ms"])
    print(json.dumps({"version": torch.__version__, "medians": medians}))


main()
