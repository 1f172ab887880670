#!/usr/bin/env python3
"""Generates the ~200 MB benchmark tree: many small files and a few large ones, half compressible."""
import os
import random
import sys

root = sys.argv[1]
rng = random.Random(20261121)
words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10))) for _ in range(5000)]
text = b" ".join(rng.choice(words) for _ in range(400_000))  # ~2.6 MB of word-like text
noise = os.urandom(1)  # replaced below by seeded bytes
noise = rng.randbytes(4 << 20)


def text_bytes(size):
    start = rng.randrange(0, len(text) - size) if size < len(text) else 0
    chunk = text[start:start + size]
    while len(chunk) < size:
        chunk += text[: size - len(chunk)]
    return chunk


def random_bytes(size):
    start = rng.randrange(0, len(noise) - size) if size < len(noise) else 0
    chunk = noise[start:start + size]
    while len(chunk) < size:
        chunk += rng.randbytes(min(size - len(chunk), 1 << 20))
    return chunk


total = 0
for i in range(10_000):
    directory = os.path.join(root, "usr", "share", "d%02d" % (i % 50), "s%02d" % (i % 7))
    os.makedirs(directory, exist_ok=True)
    size = rng.randint(512, 15_000)
    data = text_bytes(size) if i % 2 == 0 else random_bytes(size)
    with open(os.path.join(directory, "f%05d" % i), "wb") as f:
        f.write(data)
    total += size
os.makedirs(os.path.join(root, "opt", "big"), exist_ok=True)
for name, maker, size in [("text1", text_bytes, 30 << 20), ("text2", text_bytes, 30 << 20),
                          ("random1", random_bytes, 30 << 20), ("random2", random_bytes, 30 << 20)]:
    with open(os.path.join(root, "opt", "big", name), "wb") as f:
        written = 0
        while written < size:
            n = min(2 << 20, size - written)
            f.write(maker(n))
            written += n
    total += size
for i in range(200):
    j = i * 37 % 10_000
    os.symlink("d%02d/s%02d/f%05d" % (j % 50, j % 7, j), os.path.join(root, "usr", "share", "link%03d" % i))
print("generated %d bytes in %s" % (total, root))
