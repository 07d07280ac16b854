"""The README's Python is code the tests run: its example program is examples/submit_and_score.py, and every
other snippet is a region of a test, between "# README: <name>" and "# README: end"."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict, Set

import grpc
import pytest

import npsgrpc
from nps.v1 import nps_pb2, nps_pb2_grpc

SDK = Path(__file__).resolve().parent.parent


def readme_blocks(language: str) -> Set[str]:
    readme = (SDK / "README.md").read_text()
    return set(re.findall(rf"(?ms)^```{language}\n(.*?)^```$", readme))


def regions(source: str) -> Dict[str, str]:
    """Each region's lines, without the indentation they share."""
    found: Dict[str, str] = {}
    for name, body in re.findall(r"(?ms)^[ \t]*# README: (\S+)\n(.*?)^[ \t]*# README: end$", source):
        found[name] = textwrap.dedent(body)
    return found


def test_the_readme_quick_example_counts_both_responses(address: str, capsys: pytest.CaptureFixture[str]) -> None:
    # The address fixture has checked that NPS_SERVER_ADDRESS names the live server, which the snippet reads.
    # README: quick-example
    import os
    import grpc, npsgrpc
    from nps.v1 import nps_pb2, nps_pb2_grpc

    address = os.environ.get("NPS_SERVER_ADDRESS", "127.0.0.1:5000")  # bash .ci/serve listens on 127.0.0.1:5000
    with grpc.insecure_channel(address) as channel:
        with npsgrpc.Writer(channel, writer_id="billing-export-1", on_rejected=print) as writer:
            writer.add("example-python", 10, {"region": "eu"})
            writer.add("example-python", 6)
        # leaving the block flushed everything: every response is counted or reported to on_rejected
        score = nps_pb2_grpc.NpsServiceStub(channel).GetScore(nps_pb2.GetScoreRequest(product_id="example-python")).score
        print(score.nps, score.total, writer.stats)
    # README: end
    printed = capsys.readouterr().out
    assert (writer.stats.accepted, writer.stats.rejected) == (2, 0)
    assert score.total >= 2  # the product is the README's own, so earlier runs count too
    assert "WriterStats(accepted=2, rejected=0" in printed


def test_the_readme_detractors_example_lists_the_commented_detractor_it_sent(
    channel: grpc.Channel, capsys: pytest.CaptureFixture[str]
) -> None:
    # README: detractors
    import datetime

    # A detractor who says why: counted, and kept as a record with the comment.
    with npsgrpc.Writer(channel) as writer:
        writer.add("example-python", 3, {"region": "eu"}, comment="Checkout kept timing out", language_code="en")

    # This month's detractors, newest first, page by page.
    stub = nps_pb2_grpc.NpsServiceStub(channel)
    month_start = datetime.datetime.now(datetime.timezone.utc).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    request = nps_pb2.ListResponsesRequest(product_id="example-python", categories=[nps_pb2.SCORE_CATEGORY_DETRACTOR])
    request.start_time.FromDatetime(month_start)
    detractors = []
    while True:
        page = stub.ListResponses(request)
        detractors.extend(page.records)
        if not page.next_page_token:  # empty on the last page
            break
        request.page_token = page.next_page_token

    for record in detractors:
        print(record.answered_at.ToJsonString(), record.score, record.comment)
    # README: end
    # The product is the README's own, so earlier runs (and the quick example's detractor) are listed too.
    assert any((r.score, r.comment, r.language_code, dict(r.segments)) == (3, "Checkout kept timing out", "en", {"region": "eu"})
               for r in detractors)
    assert {r.category for r in detractors} == {nps_pb2.SCORE_CATEGORY_DETRACTOR}
    assert all(r.answered_at.ToDatetime(tzinfo=datetime.timezone.utc) >= month_start for r in detractors)
    assert len({r.record_id for r in detractors}) == len(detractors)
    times = [r.answered_at.ToNanoseconds() for r in detractors]
    assert times == sorted(times, reverse=True)
    assert "Checkout kept timing out" in capsys.readouterr().out


def test_every_readme_region_of_the_tests_is_in_the_readme() -> None:
    blocks = readme_blocks("python")
    found = {f"{path.name}#{name}": body for path in sorted((SDK / "tests").glob("test_*.py"))
             for name, body in regions(path.read_text()).items()}
    assert {"test_readme.py#quick-example", "test_readme.py#detractors", "test_connect.py#production"} <= set(found)
    for where, body in found.items():
        assert body in blocks, f"README.md has no ```python block equal to the region {where}"


def test_the_example_submits_to_a_product_of_its_own_and_prints_its_score(address: str) -> None:
    ran = subprocess.run([sys.executable, str(SDK / "examples" / "submit_and_score.py"), address],
                         env={**os.environ, "PYTHONPATH": str(SDK / "src")}, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert re.search(r"(?m)^rejected responses\[9\]\.score=11: REJECTION_REASON_SCORE_OUT_OF_RANGE", ran.stdout), ran.stdout
    assert re.search(r"(?m)^writer python-[0-9a-f-]{36}: WriterStats\(accepted=9, rejected=1,", ran.stdout), ran.stdout
    assert re.search(r"(?m)^example-python-[0-9a-f]{8}: NPS 33\.3 from 9 responses "
                     r"\(5 promoters, 2 passives, 2 detractors\) - low sample$", ran.stdout), ran.stdout


def test_the_readme_offline_install_works_in_a_venv_with_the_system_packages(tmp_path: Path) -> None:
    """The README's offline install, command for command (a venv seeing Debian's grpcio and protobuf, and pip
    building with Debian's setuptools instead of fetching one)."""
    install = next(block for block in readme_blocks("sh") if "--no-build-isolation" in block)
    commands = [line.split("#")[0].strip() for line in install.splitlines()]
    commands = [command for command in commands if command]
    assert commands == [
        "/usr/bin/python3 -m venv --system-site-packages .venv",
        ".venv/bin/pip install --no-build-isolation ./clients/python",
        '.venv/bin/python -c "import npsgrpc, nps.v1.nps_pb2; print(npsgrpc.__file__)"',
    ]
    # Run from a copy of the layout the commands expect: the repository root with clients/python in it.
    (tmp_path / "clients").mkdir()
    os.symlink(SDK, tmp_path / "clients" / "python")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PIP_INDEX_URL")}
    printed = ""
    for command in commands:
        ran = subprocess.run(command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert ran.returncode == 0, f"{command}:\n{ran.stdout}\n{ran.stderr}"
        printed = ran.stdout
    assert printed.strip() == str(tmp_path / ".venv" / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
                                  / "site-packages" / "npsgrpc" / "__init__.py")
