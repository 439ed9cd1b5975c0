"""bench/soak's reader paths: the demo outlet's fronts, sections and articles as linked
from its front pages, plus search, feeds and sitemaps — 34 in all, one per line.

    python3 paths.py BASE_URL > paths.txt"""

import re
import sys
import urllib.request

base = sys.argv[1]
WANTED = 34
fixed = [
    "/en/search?q=rail", "/ru/search?q=%D0%B3%D0%BE%D1%80%D0%BE%D0%B4",
    "/en/search?q=water+prices", "/feed.rss", "/en/feed.atom", "/en/analytics/feed.rss",
    "/sitemap.xml", "/sitemap/news.xml", "/robots.txt",
]
linked = []
for edition in ("en", "ru", "hy"):
    with urllib.request.urlopen(f"{base}/{edition}/", timeout=10) as response:
        html = response.read().decode()
    linked.append(f"/{edition}/")
    for href in re.findall(r'href="(/%s/[a-z0-9-]+(?:/[a-z0-9-]+)?)"' % edition, html):
        if href not in linked and "/page/" not in href and "/more/" not in href:
            linked.append(href)
paths = fixed + linked[: WANTED - len(fixed)]
if len(paths) < WANTED:
    sys.exit(f"only {len(paths)} paths found on the front pages")
print("\n".join(paths))
