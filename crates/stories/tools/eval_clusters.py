#!/usr/bin/env python3
"""Story clustering on variants of a labelled headline file, to judge a change on more than one order.

usage: eval_clusters.py NEWSDESK_BIN [DATA.jsonl]

DATA defaults to ../shared/datasets/headline-stories/dev.jsonl (lines with id, title, cluster). Runs
`NEWSDESK_BIN stories cluster` on
  - orders: the file order and 10 shuffles of the whole file (seeds 1-10);
  - stories: 20 random subsets of three quarters of the stories, shuffled (other stories, same kind);
  - halves: 20 random halves of the lines, shuffled (a smaller file of the same stories);
and prints BCubed precision, recall and F1 (mean, median, min) per variant with the shared scorer. Nothing
is written outside a temporary directory.
"""
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "shared"))
sys.path.insert(0, os.path.join(SHARED, "tools"))
from score_clusters import score  # noqa: E402  (the shared scorer, next to the data)


def variants(rows):
    stories = sorted({r["cluster"] for r in rows})
    yield "orders", list(rows)
    for seed in range(1, 11):
        lines = list(rows)
        random.Random(seed).shuffle(lines)
        yield "orders", lines
    for seed in range(20):
        rnd = random.Random(100 + seed)
        keep = set(rnd.sample(stories, len(stories) * 3 // 4))
        lines = [r for r in rows if r["cluster"] in keep]
        rnd.shuffle(lines)
        yield "stories", lines
    for seed in range(20):
        rnd = random.Random(100 + seed)
        yield "halves", rnd.sample(rows, len(rows) // 2)


def cluster(binary, tmp, n, lines):
    path = os.path.join(tmp, f"{n}.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in lines)
    out = subprocess.run([binary, "stories", "cluster", path], capture_output=True, text=True, check=True)
    pred = [json.loads(l) for l in out.stdout.splitlines() if l.strip()]
    return score(lines, pred)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    data = sys.argv[2] if len(sys.argv) > 2 else os.path.join(SHARED, "datasets", "headline-stories", "dev.jsonl")
    if not os.path.exists(data):
        sys.exit(f"{data}: not found (the shared datasets are not on this machine)")
    with open(data, encoding="utf-8") as f:
        rows = [json.loads(l) for l in f if l.strip()]
    runs = list(variants(rows))
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda nl: cluster(binary, tmp, nl[0], nl[1][1]), enumerate(runs)))
    for kind in ("orders", "stories", "halves"):
        got = [r for (k, _), r in zip(runs, results) if k == kind]
        f1 = [r["bcubed_f1"] for r in got]
        p = statistics.mean(r["bcubed_p"] for r in got)
        r_ = statistics.mean(r["bcubed_r"] for r in got)
        print(
            f"{kind:8} n={len(got):2}  P {p:.3f}  R {r_:.3f}  F1 mean {statistics.mean(f1):.4f}"
            f"  median {statistics.median(f1):.4f}  min {min(f1):.3f}  max {max(f1):.3f}"
        )


if __name__ == "__main__":
    main()
