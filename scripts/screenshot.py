"""Regenerate the README's screenshot: the report of the bundled example corpus, as a reader sees it.

    python scripts/screenshot.py [--out docs/report.png]

Runs the project's own command (`newsprism analyze examples/ --report ...`) into a scratch folder
and photographs the report in Debian's headless Chromium (Playwright, no browser download).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.html"
        newsprism = Path(sys.executable).parent / "newsprism"
        subprocess.run(
            [
                str(newsprism),
                "analyze",
                str(ROOT / "examples"),
                "--db",
                str(Path(scratch) / "examples.duckdb"),
                "--report",
                str(report),
            ],
            check=True,
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 1500}, device_scale_factor=1)
            page.goto(report.as_uri())
            story = page.locator("section.story").first
            # The story list, then the first story down to its coverage matrix.
            bottom = story.locator("div.chart.coverage").bounding_box()
            height = int(bottom["y"] + bottom["height"] + 20) if bottom else 1500
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(args.out), clip={"x": 0, "y": 0, "width": 1200, "height": min(height, 3000)}
            )
            browser.close()
    print(f"screenshot written to {args.out}")


if __name__ == "__main__":
    main()
