"""Import time of REFI-QDA projects with 10^4 and 10^5 codes and codings: is it linear?

    python benchmarks/bench_qdpx.py                  # 10,000 and 100,000 codes
    python benchmarks/bench_qdpx.py --sizes 1000 10000

Each synthetic project is built in memory: ``n`` codes (every tenth a child of the code
before it, each name used ten times, so ids clash and get ``_2``, ``_3``…), ``n / 100``
text sources of 100 lines each with their text inline, and ``n`` coded selections (one per
line, each coded with its own code by one of three users). Prints the seconds for
``parse_project`` and ``study_from_project`` per size, their CPU seconds, and each size's CPU
time divided by the smallest's next to the ratio of the sizes: linear import keeps the two
close. Most of the time goes to writing and re-reading the codebook YAML (pure-Python
PyYAML, about 0.25 ms per theme).
"""

from __future__ import annotations

import argparse
import time

from coopresearch.qdpx import parse_project, study_from_project

LINES = 100


def guid(kind: int, n: int) -> str:
    return f"00000000-0000-0000-{kind:04d}-{n:012d}"


def build_project(n: int) -> bytes:
    """A project with ``n`` codes, ``n // LINES`` sources and ``n`` codings, as project.qde bytes."""
    users = "".join(f'<User guid="{guid(1, u)}" name="user {u}"/>' for u in range(3))
    codes, open_parent = [], False
    for i in range(n):
        if i % 10 == 0 and open_parent:
            codes.append("</Code>")
            open_parent = False
        code = f'<Code guid="{guid(2, i)}" name="Thema {i % max(n // 10, 1)}" isCodable="true">'
        if i % 10 == 0:  # a parent: the next nine codes nest inside it
            codes.append(code + f"<Description>Code {i}</Description>")
            open_parent = True
        else:
            codes.append(code + "</Code>")
    if open_parent:
        codes.append("</Code>")
    sources = []
    for s in range(max(n // LINES, 1)):
        lines = [f"Regel {j} van bron {s}: wij werken samen." for j in range(LINES)]
        selections, position = [], 0
        for j, line in enumerate(lines):
            i = s * LINES + j
            if i < n:
                selections.append(
                    f'<PlainTextSelection guid="{guid(3, i)}" name="{line}" startPosition="{position}" '
                    f'endPosition="{position + len(line)}"><Coding guid="{guid(4, i)}" creatingUser="{guid(1, i % 3)}">'
                    f'<CodeRef targetGUID="{guid(2, i)}"/></Coding></PlainTextSelection>')
            position += len(line) + 1
        sources.append(f'<TextSource guid="{guid(5, s)}" name="Interview {s}.txt"><PlainTextContent>'
                       + "\n".join(lines) + "</PlainTextContent>" + "".join(selections) + "</TextSource>")
    return (f'<Project xmlns="urn:QDA-XML:project:1.0" name="bench" origin="bench"><Users>{users}</Users>'
            f'<CodeBook><Codes>{"".join(codes)}</Codes></CodeBook><Sources>{"".join(sources)}</Sources></Project>'
            ).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    print(f"{'codes':>8} {'MB xml':>7} {'parse s':>8} {'study s':>8} {'total s':>8} {'CPU s':>8} {'x size':>7} {'x CPU':>7}")
    first = None
    for n in args.sizes:
        xml = build_project(n)
        start, cpu = time.perf_counter(), time.process_time()
        project = parse_project(xml, archive="bench.qdpx")
        parsed = time.perf_counter()
        imported = study_from_project(project)
        done, cpu = time.perf_counter(), time.process_time() - cpu
        assert len(imported.tables["codings"]) == n, len(imported.tables["codings"])
        first = first or (n, cpu)
        # CPU seconds, not wall-clock ones, decide the ratio: other work on a shared machine inflates the latter
        print(f"{n:>8} {len(xml) / 1e6:>7.1f} {parsed - start:>8.2f} {done - parsed:>8.2f} {done - start:>8.2f} {cpu:>8.2f} "
              f"{n / first[0]:>7.1f} {cpu / first[1]:>7.1f}", flush=True)


if __name__ == "__main__":
    main()
