"""Apache Jena as a fourth SPARQL engine for the tests: many queries on one dataset in one JVM.

Jena is Debian's ``libapache-jena-java`` (Jena 4.5) with a Java 17 JDK (``java`` runs
``tests/JenaRunner.java`` from source). Two traps of that package are handled here:

- ``java -cp '/usr/share/java/*'`` fails (two SLF4J bindings and log4j's bridges clash),
  so the class path names only the jars Jena's ARQ needs, with ``slf4j-nop`` for quiet;
- Debian's Jena relocates Xerces to the package ``xerces`` but keeps its message files
  under ``org/apache/jena/ext/xerces``; without them Jena fails at start-up
  (``RuntimeException: internal error`` in ``XSSimpleTypeDecl``), so they are copied
  out of ``jena-core.jar`` to a folder on the class path.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JAVA_DIR = Path("/usr/share/java")
RUNNER = Path(__file__).parent / "JenaRunner.java"
JARS = (
    "jena-arq", "jena-base", "jena-core", "jena-iri", "jena-shacl", "jena-shex",
    "slf4j-api", "slf4j-nop", "guava", "commons-cli", "commons-codec", "commons-compress", "commons-csv",
    "commons-io", "commons-lang3", "dexx.collection", "gson", "jackson-core", "jackson-databind",
    "jackson-annotations", "httpclient", "httpcore", "jsonld-java", "titanium-json-ld", "jakarta.json-api",
    "protobuf", "thrift", "jcl-over-slf4j",
)
_MESSAGES = "org/apache/jena/ext/xerces/"


def missing() -> str | None:
    """Why Jena cannot run here (a sentence naming what to install), or ``None`` if it can."""
    if shutil.which("java") is None or shutil.which("javac") is None:
        return "a Java 17 JDK is not installed (apt-get install default-jdk-headless)"
    absent = [name for name in JARS if not (JAVA_DIR / f"{name}.jar").is_file()]
    if absent:
        return f"Jena is not installed (apt-get install libapache-jena-java); missing {', '.join(absent)}"
    return None


def _classpath(work: Path) -> str:
    messages = work / "xerces-messages"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(_MESSAGES) and name.endswith(".properties"):
                target = messages / "xerces" / name.removeprefix(_MESSAGES)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return ":".join([*(str(JAVA_DIR / f"{name}.jar") for name in JARS), str(messages)])


@dataclass(frozen=True)
class JenaAnswer:
    """Jena's answer to one query: SPARQL JSON results, or the error it raised."""

    results: dict[str, Any] | None
    error: str | None


def run_jena(data: Sequence[Path], queries: Mapping[str, str], work: Path, *,
             timeout: float = 600) -> dict[str, JenaAnswer]:
    """Run every query text of *queries* (keys: names made of letters, digits, ``-`` and ``_``)
    on the union of the RDF *data* files, in one JVM; *work* is an empty folder for the files."""
    work.mkdir(parents=True, exist_ok=True)
    folder, out = work / "queries", work / "results"
    folder.mkdir()
    out.mkdir()
    files = []
    for name, text in queries.items():
        path = folder / f"{name}.rq"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    command = ["java", "-Xss8m", "-cp", _classpath(work), str(RUNNER), str(out),
               *map(str, data), "--", *files]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"Jena failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    answers = {}
    for name in queries:
        result, error = out / f"{name}.srj", out / f"{name}.err"
        answers[name] = (JenaAnswer(json.loads(result.read_text(encoding="utf-8")), None) if result.is_file()
                         else JenaAnswer(None, error.read_text(encoding="utf-8") if error.is_file()
                                         else "no answer"))
    return answers
