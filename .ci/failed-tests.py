"""Prints each failed test of the given .trx files with its message, the head of its stack trace and the tail of
its output: CI logs are read from their tail, and a failure that shows once in many runs must be diagnosable from
that one log."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def lines(text, head=None, tail=None):
    rows = (text or "").strip().splitlines()
    if head is not None:
        rows = rows[:head]
    if tail is not None and len(rows) > tail:
        rows = ["[... %d lines before]" % (len(rows) - tail)] + rows[-tail:]
    return rows


for path in sys.argv[1:]:
    label = path.split("/TestResults/")[0] if path.startswith("clients/") else path.rsplit("/", 1)[-1]
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", NS):
        if result.get("outcome") != "Failed":
            continue
        print("    %s: %s" % (label, result.get("testName")))
        output = result.find("t:Output", NS)
        if output is None:
            continue
        sections = [
            ("message", output.findtext("t:ErrorInfo/t:Message", default="", namespaces=NS), 20, None),
            ("stack", output.findtext("t:ErrorInfo/t:StackTrace", default="", namespaces=NS), 12, None),
            ("output", output.findtext("t:StdOut", default="", namespaces=NS), None, 60),
        ]
        for name, text, head, tail in sections:
            for row in lines(text, head, tail):
                print("        %s | %s" % (name, row))
