"""A real file-based Maven repository for tests, laid out by hand as Maven lays it out.

Each artifact is Java source compiled with ``javac`` into a jar, with its ``.pom`` (declaring
its dependencies, so resolution is transitive), ``maven-metadata.xml`` and ``.sha1`` checksums
(Ivy verifies them). Nothing here needs the network: this machine has no route to Maven
Central, and the tests must not either.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Artifact:
    """One module to build: ``group:artifact:version``, its Java sources and dependencies."""

    group: str
    artifact: str
    version: str
    sources: Mapping[str, str]
    """Relative source path (``com/example/Words.java``) -> Java source."""
    dependencies: Sequence[str] = field(default_factory=tuple)
    """``group:artifact:version`` of modules of the same repository it compiles against."""
    external: Sequence[str] = field(default_factory=tuple)
    """Dependencies its pom declares that this repository does not hold."""

    @property
    def coordinates(self) -> str:
        """``group:artifact:version``."""
        return f"{self.group}:{self.artifact}:{self.version}"

    def folder(self, root: Path) -> Path:
        """Its version folder in the Maven layout."""
        return root.joinpath(*self.group.split("."), self.artifact, self.version)

    def jar(self, root: Path) -> Path:
        """Its jar in the repository under ``root``."""
        return self.folder(root) / f"{self.artifact}-{self.version}.jar"


@dataclass(frozen=True)
class MavenRepo:
    """A repository on disk: its folder and the ``file://`` URL a library's ``repo`` names."""

    root: Path

    @property
    def url(self) -> str:
        """The repository's URL (``file:///...``)."""
        return self.root.absolute().as_uri()


def build_repo(root: Path, artifacts: Sequence[Artifact], *, javac: Path) -> MavenRepo:
    """Compile and install ``artifacts`` (dependencies before their dependents) under ``root``."""
    built: dict[str, Path] = {}
    for artifact in artifacts:
        classpath = [built[dependency] for dependency in artifact.dependencies]
        jar = artifact.jar(root)
        jar.parent.mkdir(parents=True, exist_ok=True)
        compile_jar(artifact.sources, jar, javac=javac, classpath=classpath)
        pom = jar.with_suffix(".pom")
        pom.write_text(_pom(artifact), encoding="utf-8")
        metadata = artifact.folder(root).parent / "maven-metadata.xml"
        metadata.write_text(_metadata(artifact), encoding="utf-8")
        for path in (jar, pom, metadata):
            _write_sha1(path)
        built[artifact.coordinates] = jar
    return MavenRepo(root)


def compile_jar(
    sources: Mapping[str, str], jar: Path, *, javac: Path, classpath: Sequence[Path | str] = ()
) -> Path:
    """``javac`` the sources (Java 17) and zip the classes into ``jar``."""
    with tempfile.TemporaryDirectory(prefix="brickyard-javac-") as scratch:
        source_root, classes = Path(scratch) / "src", Path(scratch) / "classes"
        files = []
        for relative, text in sources.items():
            path = source_root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
        command = [str(javac), "-nowarn", "--release", "17", "-d", str(classes)]
        if classpath:
            command += ["-cp", ":".join(str(entry) for entry in classpath)]
        completed = subprocess.run([*command, *files], capture_output=True, text=True, check=False)
        assert completed.returncode == 0, f"javac failed:\n{completed.stderr}"
        jar.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(jar, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
            for compiled in sorted(classes.rglob("*.class")):
                archive.write(compiled, compiled.relative_to(classes).as_posix())
    return jar


def _pom(artifact: Artifact) -> str:
    dependencies = "".join(
        "    <dependency>\n"
        f"      <groupId>{group}</groupId>\n"
        f"      <artifactId>{name}</artifactId>\n"
        f"      <version>{version}</version>\n"
        "    </dependency>\n"
        for group, name, version in (
            d.split(":") for d in (*artifact.dependencies, *artifact.external)
        )
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<project xmlns="http://maven.apache.org/POM/4.0.0">\n'
        "  <modelVersion>4.0.0</modelVersion>\n"
        f"  <groupId>{artifact.group}</groupId>\n"
        f"  <artifactId>{artifact.artifact}</artifactId>\n"
        f"  <version>{artifact.version}</version>\n"
        "  <packaging>jar</packaging>\n"
        f"  <dependencies>\n{dependencies}  </dependencies>\n"
        "</project>\n"
    )


def _metadata(artifact: Artifact) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<metadata>\n"
        f"  <groupId>{artifact.group}</groupId>\n"
        f"  <artifactId>{artifact.artifact}</artifactId>\n"
        "  <versioning>\n"
        f"    <latest>{artifact.version}</latest>\n"
        f"    <release>{artifact.version}</release>\n"
        f"    <versions><version>{artifact.version}</version></versions>\n"
        "    <lastUpdated>20261204000000</lastUpdated>\n"
        "  </versioning>\n"
        "</metadata>\n"
    )


def _write_sha1(path: Path) -> None:
    digest = hashlib.sha1(path.read_bytes(), usedforsecurity=False).hexdigest()
    path.with_name(path.name + ".sha1").write_text(digest, encoding="utf-8")


WORDS = Artifact(
    group="com.example",
    artifact="words",
    version="1.0",
    sources={
        "com/example/words/Words.java": """
package com.example.words;

public final class Words {
    private Words() {}

    public static String hello() {
        return "hello";
    }
}
""",
    },
)

GREETER = Artifact(
    group="com.example",
    artifact="greeter",
    version="1.0",
    dependencies=(WORDS.coordinates,),
    sources={
        "com/example/greeter/Greeter.java": """
package com.example.greeter;

import com.example.words.Words;

public final class Greeter {
    private Greeter() {}

    public static String greet(String name) {
        return Words.hello() + ", " + name;
    }
}
""",
    },
)
"""``com.example:greeter:1.0``, which depends on ``com.example:words:1.0`` (in its pom)."""


def greeter_repo(root: Path, *, javac: Path) -> MavenRepo:
    """A repository with ``greeter`` and its dependency ``words``."""
    return build_repo(root, [WORDS, GREETER], javac=javac)
