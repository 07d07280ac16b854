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

import pytest

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


def test_the_readme_comment_example_lists_this_months_detractor_with_what_they_wrote(
        address: str, capsys: pytest.CaptureFixture[str]) -> None:
    # README: comments
    import datetime, os, time
    import grpc
    from google.protobuf import timestamp_pb2
    from nps.v1 import nps_pb2, nps_pb2_grpc

    address = os.environ.get("NPS_SERVER_ADDRESS", "127.0.0.1:5000")
    with grpc.insecure_channel(address) as channel:
        nps = nps_pb2_grpc.NpsServiceStub(channel)
        batch = nps_pb2.SubmitResponsesRequest(writer_id="survey-widget-1", sequence=time.time_ns(), responses=[
            nps_pb2.SurveyResponse(product_id="example-python-comments", score=3, segments={"region": "eu"},
                                   respondent_id="customer-42", comment="Checkout is slow", language_code="en")])
        ack = next(nps.SubmitResponses(iter([batch])))  # one request, one acknowledgement
        first_of_month = datetime.datetime.now(datetime.timezone.utc).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        start = timestamp_pb2.Timestamp()
        start.FromDatetime(first_of_month)
        request = nps_pb2.ListResponsesRequest(product_id="example-python-comments", start_time=start,
                                               categories=[nps_pb2.SCORE_CATEGORY_DETRACTOR])
        while True:  # newest first, page by page
            page = nps.ListResponses(request)
            for record in page.records:
                print(record.respondent_id, record.score, record.comment)
            if not page.next_page_token:
                break
            request.page_token = page.next_page_token
    # README: end
    assert (ack.accepted_count, len(ack.rejected)) == (1, 0)
    printed = capsys.readouterr().out.splitlines()
    assert "customer-42 3 Checkout is slow" in printed


def test_every_readme_region_of_the_tests_is_in_the_readme() -> None:
    blocks = readme_blocks("python")
    found = {f"{path.name}#{name}": body for path in sorted((SDK / "tests").glob("test_*.py"))
             for name, body in regions(path.read_text()).items()}
    assert {"test_readme.py#quick-example", "test_readme.py#comments", "test_connect.py#production"} <= set(found)
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
