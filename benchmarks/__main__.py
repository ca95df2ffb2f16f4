"""Speed targets, measured outside the unit tests: `make bench` (`python -m benchmarks [name]`)."""

import sys

from benchmarks import feed, http, peers, photos, posting, scale, search

BENCHMARKS = {
    "feed": feed.main,
    "http": http.main,
    "photos": photos.main,
    "posting": posting.main,
    "scale": lambda: scale.main([]),
    "peers": peers.main,
    "search": search.main,
}

if __name__ == "__main__":
    names = sys.argv[1:] or list(BENCHMARKS)
    failed = [name for name in names if BENCHMARKS[name]() != 0]
    sys.exit(1 if failed else 0)
