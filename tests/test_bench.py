"""`make bench`'s own logic, without wrk or a network: wrk's output, the targets, the floor app."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

# The benchmark lives in scripts/, imported as `benchtool` (as mypy sees it); the path is
# set here so that tests/conftest.py needs no change for one test module.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from benchtool import wrk
from benchtool.cli import main
from benchtool.floor import Captured, create_app, load, replayable, save, variant
from benchtool.pages import ANONYMOUS, CONDITIONAL, MEMBER, Page
from benchtool.report import DEFAULTS, REDIS, Row, profile_report, table, verdicts

# Real output of `wrk -t2 -c16 -d3s --latency` against newsweb's story page on a busy
# machine: some requests timed out, and wrk wrote "1.03s " with a trailing space.
STORY_OUTPUT = """\
Running 3s test @ http://127.0.0.1:8392/news/perplexity-comet-browser-agent-enterprise-admin-controls
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   878.47ms  537.34ms   2.00s    78.95%
    Req/Sec    10.86      8.92    30.00     59.09%
  Latency Distribution
     50%  626.65ms
     75%    1.03s 
     90%    1.90s 
     99%    2.00s 
  31 requests in 3.01s, 459.88KB read
  Socket errors: connect 0, read 0, write 0, timeout 12
Requests/sec:     10.30
Transfer/sec:    152.76KB
"""  # noqa: W291 (wrk's own trailing spaces, kept)

# Real output against a path newsweb answers with 404.
NOT_FOUND_OUTPUT = """\
Running 2s test @ http://127.0.0.1:8391/nope
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   183.55ms  170.18ms 728.71ms   84.03%
    Req/Sec    72.97     21.49   110.00     86.21%
  Latency Distribution
     50%  104.03ms
     75%  130.60ms
     90%  501.18ms
     99%  716.67ms
  218 requests in 2.02s, 621.64KB read
  Non-2xx or 3xx responses: 218
Requests/sec:    108.12
Transfer/sec:    308.32KB
"""

# Real output while gunicorn's workers were still importing the app: only two answers.
BOOTING_OUTPUT = """\
Running 3s test @ http://127.0.0.1:8391/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
    Req/Sec     5.00      7.07    10.00    100.00%
  Latency Distribution
     50%    0.00us
     75%    0.00us
     90%    0.00us
     99%    0.00us
  2 requests in 3.02s, 33.75KB read
  Socket errors: connect 0, read 0, write 0, timeout 2
Requests/sec:      0.66
Transfer/sec:     11.19KB
"""


def test_wrk_output_gives_rate_percentiles_in_ms_and_errors() -> None:
    """Throughput, every percentile converted to milliseconds, socket errors by kind."""
    result = wrk.parse(STORY_OUTPUT)
    assert result.requests == 31
    assert result.seconds == pytest.approx(3.01)
    assert result.requests_per_second == pytest.approx(10.30)
    assert result.percentiles == pytest.approx({50: 626.65, 75: 1030.0, 90: 1900.0, 99: 2000.0})
    assert (result.p50, result.p99) == pytest.approx((626.65, 2000.0))
    assert result.socket_errors == {"connect": 0, "read": 0, "write": 0, "timeout": 12}
    assert result.not_2xx_3xx == 0
    assert result.errors == 12


def test_wrk_output_counts_responses_neither_2xx_nor_3xx() -> None:
    """A run answered by 404s counts them as errors, with no socket errors."""
    result = wrk.parse(NOT_FOUND_OUTPUT)
    assert result.not_2xx_3xx == 218
    assert sum(result.socket_errors.values()) == 0
    assert result.errors == 218
    assert result.p99 == pytest.approx(716.67)


def test_wrk_output_in_microseconds_and_nan() -> None:
    """Microsecond latencies and wrk's `-nan%` do not break the parser."""
    result = wrk.parse(BOOTING_OUTPUT)
    assert result.requests == 2
    assert result.p50 == 0.0
    assert result.requests_per_second == pytest.approx(0.66)
    assert result.socket_errors["timeout"] == 2


@pytest.mark.parametrize(
    "output", ["", "wrk: invalid URL", STORY_OUTPUT.replace("Requests/sec", "Req")]
)
def test_anything_but_a_result_is_a_failure(output: str) -> None:
    """Output without a rate, a total or the percentiles is not read as a measurement."""
    with pytest.raises(wrk.WrkFailed):
        wrk.parse(output)


def test_wrk_command_line() -> None:
    """-t2 -c16, whole seconds, --latency, one -H per header, the URL last."""
    line = wrk.command("/usr/bin/wrk", "http://127.0.0.1:1/x", 10, {"HX-Request": "true"})
    assert line == [
        "/usr/bin/wrk",
        "-t2",
        "-c16",
        "-d10s",
        "--latency",
        "-H",
        "HX-Request: true",
        "http://127.0.0.1:1/x",
    ]


def result(rate: float, *, timeouts: int = 0, not_ok: int = 0) -> wrk.WrkResult:
    """A wrk result with this rate (and these errors)."""
    return wrk.WrkResult(
        requests=int(rate * 10),
        seconds=10.0,
        requests_per_second=rate,
        percentiles={50: 2.0, 75: 3.0, 90: 4.0, 99: 8.5},
        socket_errors={"connect": 0, "read": 0, "write": 0, "timeout": timeouts},
        not_2xx_3xx=not_ok,
    )


FRONT = Page("front page", "/", ANONYMOUS)
FRAGMENT = Page("take fragment", "/news/a/takes/b?expanded=1", ANONYMOUS, {"HX-Request": "true"})
MEMBER_STORY = Page("story, signed in", "/news/a", MEMBER, {"Cookie": "session=x"})
REVALIDATED = Page("story, If-None-Match", "/news/a", CONDITIONAL, {"If-None-Match": '"e"'})


def rows(front: float, fragment: float, member: float, conditional: float) -> list[Row]:
    """Rows whose ratios to a floor of 1,000 req/s are the given ones."""
    return [
        Row(page, result(ratio * 1000), result(1000))
        for page, ratio in (
            (FRONT, front),
            (FRAGMENT, fragment),
            (MEMBER_STORY, member),
            (REVALIDATED, conditional),
        )
    ]


def test_ratio_is_ours_over_the_floor() -> None:
    """The ratio divides newsweb's req/s by the floor's; an idle floor gives NaN, not a crash."""
    assert Row(FRONT, result(730), result(7300)).ratio == pytest.approx(0.1)
    assert math.isnan(Row(FRONT, result(730), result(0)).ratio)


def test_targets_depend_on_profile_and_kind() -> None:
    """0.55x meets the defaults' 0.5x but not Redis's 0.6x; 304s need 0.9x, members 0.3x."""
    measured = rows(front=0.55, fragment=0.7, member=0.3, conditional=0.95)
    defaults = {verdict.kind: verdict for verdict in verdicts(DEFAULTS, measured, {})}
    assert all(verdict.met for verdict in defaults.values())
    assert defaults[ANONYMOUS].worst.page == FRONT
    with_redis = {verdict.kind: verdict for verdict in verdicts(REDIS, measured, {})}
    assert not with_redis[ANONYMOUS].met
    assert "front page at 0.55x" in with_redis[ANONYMOUS].why_not
    assert with_redis[CONDITIONAL].met
    assert with_redis[MEMBER].met

    slow = {v.kind: v for v in verdicts(DEFAULTS, rows(0.9, 0.9, 0.29, 0.89), {})}
    assert not slow[MEMBER].met
    assert not slow[CONDITIONAL].met
    assert slow[ANONYMOUS].met


def test_errors_or_a_missing_304_fail_a_target_whatever_the_ratio() -> None:
    """A fast page that timed out, or a 304 path that answered 200, does not meet its target."""
    measured = rows(front=1.0, fragment=1.0, member=1.0, conditional=1.0)
    measured[1] = Row(FRAGMENT, result(1000, timeouts=3), result(1000))
    problems = {REVALIDATED.name: "answered 200, not 304: the 304 path was not measured"}
    judged = {verdict.kind: verdict for verdict in verdicts(DEFAULTS, measured, problems)}
    assert not judged[ANONYMOUS].met
    assert "take fragment: socket errors (3 timeout)" in judged[ANONYMOUS].why_not
    assert not judged[CONDITIONAL].met
    assert "answered 200, not 304" in judged[CONDITIONAL].why_not
    assert judged[MEMBER].met


def test_table_and_report_show_each_page_and_target() -> None:
    """One line per page with req/s, p50, p99, floor req/s and ratio; targets met or NOT met."""
    measured = rows(front=0.25, fragment=0.75, member=0.5, conditional=0.95)
    measured[0] = Row(FRONT, result(250), result(1000, not_ok=4))
    lines = table(measured).splitlines()
    assert lines[0].split(" | ")[0].strip() == "page"
    front_cells = [cell.strip() for cell in lines[2].split(" | ")]
    assert front_cells == ["front page", "250", "2.0 ms", "8.5 ms", "1,000", "0.25x"]
    assert "front page, floor: 4 responses neither 2xx nor 3xx" in lines[-1]

    report = profile_report(DEFAULTS, "== defaults", measured, {})
    assert "NOT met  anonymous pages and fragments >= 0.5x: front page at 0.25x" in report
    assert "met      conditional GET (304) >= 0.9x (lowest 0.95x)" in report
    assert "met      signed-in story page >= 0.3x (lowest 0.50x)" in report
    assert "take fragment: /news/a/takes/b?expanded=1" in report


PAGE = Captured(
    status=200,
    headers=[
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "public, max-age=60"),
        ("ETag", '"abc"'),
        ("Vary", "HX-Request"),
        ("Content-Security-Policy", "default-src 'self'"),
        ("X-Request-ID", "0123456789abcdef"),
    ],
    body="<!doctype html><html><title>Story — newsweb</title></html>".encode(),
)
FRAGMENT_BYTES = Captured(200, [("Content-Type", "text/html; charset=utf-8")], b"<article>")
NOT_MODIFIED = Captured(304, [("ETag", '"abc"'), ("Cache-Control", "public, max-age=60")], b"")


def floor_responses() -> dict[str, Captured]:
    """The floor's responses for a page, its fragment and its 304, keyed as wrk will ask."""
    return {
        variant("/news/a", []): PAGE,
        variant("/news/a/takes/b?expanded=1", ["HX-Request"]): FRAGMENT_BYTES,
        variant("/news/a", ["If-None-Match"]): NOT_MODIFIED,
    }


def test_floor_serves_the_captured_bytes_and_headers_exactly() -> None:
    """Status, body and every captured header come back as newsweb sent them."""
    client = create_app(floor_responses()).test_client()
    answer = client.get("/news/a")
    assert answer.status_code == 200
    assert answer.data == PAGE.body
    for name, value in PAGE.headers:
        assert answer.headers.get_all(name) == [value]


def test_floor_tells_requests_apart_by_their_choosing_headers() -> None:
    """The same URL with If-None-Match gets the 304; HX-Request gets the fragment."""
    client = create_app(floor_responses()).test_client()
    revalidated = client.get("/news/a", headers={"If-None-Match": '"abc"'})
    assert revalidated.status_code == 304
    assert revalidated.data == b""
    assert revalidated.headers["ETag"] == '"abc"'
    fragment = client.get("/news/a/takes/b?expanded=1", headers={"HX-Request": "true"})
    assert fragment.data == b"<article>"
    assert client.get("/news/a/takes/b?expanded=1").status_code == 404
    assert client.get("/news/other").status_code == 404


def test_captured_responses_drop_server_headers_and_survive_the_file(tmp_path: Path) -> None:
    """Date, Server and the like are the floor server's to write; the rest round-trips a file."""
    headers = [("Date", "Mon"), ("Server", "gunicorn"), ("Content-Length", "9"), *PAGE.headers]
    kept = replayable(200, headers, PAGE.body)
    assert kept == PAGE
    save(floor_responses(), tmp_path / "responses.json")
    assert load(tmp_path / "responses.json") == floor_responses()


def test_without_wrk_the_bench_says_how_to_install_it_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No wrk on PATH: a clear message and a non-zero exit, before anything is started."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main([]) == 2
    assert "apt-get install -y wrk" in capsys.readouterr().out
