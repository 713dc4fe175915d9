"""Backup and restore of the Hub's database and private files (evidence, review documents,
images) as one archive: a tar of the database dump and every file under MEDIA_ROOT, with a
manifest of their SHA-256 checksums, sealed with HUB_BACKUP_KEY when one is set.

A restore unpacks into a private temporary folder and checks every checksum before it touches
the database or a file: a damaged, tampered or incomplete archive is refused whole. It replaces
the database's content and writes back every file of the backup; files added since stay."""

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.utils import timezone

from . import databases, sealing

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"


class BackupError(Exception):
    """A backup that cannot be made, or an archive that must not be restored."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    encrypted: bool
    engine: str
    files: int
    size: int


@dataclass(frozen=True)
class RestoreResult:
    engine: str
    files: int
    created_at: str


def _key(key):
    return settings.HUB_BACKUP_KEY if key is None else key


class _Hashing:
    """A file read through this is hashed on the way into the archive: the checksum is of the
    bytes archived, even if the file changes while the backup runs."""

    def __init__(self, file):
        self._file, self.sha256, self.size = file, hashlib.sha256(), 0

    def read(self, n=-1):
        data = self._file.read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _add(tar, name, path) -> dict:
    with open(path, "rb") as file:
        info = tar.gettarinfo(fileobj=file, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600
        hashing = _Hashing(file)
        tar.addfile(info, hashing)
    return {"sha256": hashing.sha256.hexdigest(), "size": hashing.size}


def _media_files(media_root: Path):
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def _private_file(path: Path):
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def back_up(directory=None, *, using="default", media_root=None, key=None) -> BackupResult:
    """Write one archive of database `using` and `media_root` into `directory`."""
    key = _key(key)
    directory = Path(directory or settings.HUB_BACKUP_DIR)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    connection = connections[using]
    try:
        dump_name = databases.dump_name(connection)
        if key:
            sealing.fernet(key)
    except (databases.DatabaseError, sealing.SealingError) as exc:
        raise BackupError(str(exc)) from exc
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    created = timezone.now()
    name = f"hub-backup-{created:%Y%m%dT%H%M%S%fZ}.tar.gz" + (".fernet" if key else "")
    final, partial = directory / name, directory / f".{name}.partial"
    with tempfile.TemporaryDirectory(prefix="hub-backup-") as work:
        dump = Path(work) / dump_name
        try:
            databases.dump(connection, dump)
        except databases.DatabaseError as exc:
            raise BackupError(str(exc)) from exc
        try:
            with _private_file(partial) as raw:
                sink = sealing.SealedWriter(raw, key) if key else raw
                with tarfile.open(fileobj=sink, mode="w|gz") as tar:
                    files = {dump_name: _add(tar, dump_name, dump)}
                    for path in _media_files(media_root):
                        arcname = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
                        files[arcname] = _add(tar, arcname, path)
                    # Last, so that an archive cut short has no manifest and is refused.
                    manifest = json.dumps(
                        {
                            "format": FORMAT,
                            "created_at": created.isoformat(),
                            "engine": connection.vendor,
                            "database": dump_name,
                            "files": files,
                        },
                        indent=1,
                    ).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mode, info.mtime = len(manifest), 0o600, created.timestamp()
                    tar.addfile(info, io.BytesIO(manifest))
                if key:
                    sink.close()
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(
        path=final,
        encrypted=bool(key),
        engine=connection.vendor,
        files=len(files) - 1,
        size=final.stat().st_size,
    )


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and (name in (MANIFEST, *databases.DUMP_NAMES.values()) or path.parts[0] == MEDIA)
    )


def _unpack(archive: Path, key, allow_unencrypted, work: Path):
    with open(archive, "rb") as raw:
        if sealing.is_sealed(raw):
            if not key:
                raise BackupError("this backup is encrypted: set HUB_BACKUP_KEY to restore it")
            source = sealing.SealedReader(raw, key)
        elif key and not allow_unencrypted:
            raise BackupError(
                "HUB_BACKUP_KEY is set but this backup is not encrypted, so nothing proves "
                "where it came from; restore it with --allow-unencrypted if you trust it"
            )
        else:
            source = raw
        with tarfile.open(fileobj=source, mode="r|gz") as tar:
            for member in tar:
                if not member.isfile() or not _safe_name(member.name):
                    raise BackupError(f"the backup holds an unexpected entry: {member.name!r}")
                tar.extract(member, work, filter="data")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(work: Path) -> dict:
    """The manifest of the archive unpacked into `work`, once every file it lists is there
    with its checksum and nothing else is; else BackupError."""
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (FileNotFoundError, ValueError) as exc:
        raise BackupError("the backup has no readable manifest: it is incomplete") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    listed = manifest["files"]
    found = {p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file()} - {MANIFEST}
    if found != set(listed):
        raise BackupError("the backup's files do not match its manifest")
    for name, expected in listed.items():
        path = work / name
        if path.stat().st_size != expected["size"] or _sha256(path) != expected["sha256"]:
            raise BackupError(f"checksum mismatch for {name}: the backup is damaged")
    if manifest["database"] not in listed:
        raise BackupError("the backup has no database")
    return manifest


def restore(
    archive, *, using="default", media_root=None, key=None, allow_unencrypted=False
) -> RestoreResult:
    """Restore database `using` and the files under `media_root` from `archive`, after
    checking all of it."""
    key = _key(key)
    archive = Path(archive)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    connection = connections[using]
    if not archive.is_file():
        raise BackupError(f"no backup at {archive}")
    with tempfile.TemporaryDirectory(prefix="hub-restore-") as work:
        work = Path(work)
        try:
            _unpack(archive, key, allow_unencrypted, work)
        except (sealing.SealingError, tarfile.TarError, EOFError, zlib.error) as exc:
            raise BackupError(f"the backup cannot be read: {exc}") from exc
        manifest = verify(work)
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"this is a {manifest['engine']} backup; the database is {connection.vendor}"
            )
        try:
            databases.load(connection, work / manifest["database"])
        except databases.DatabaseError as exc:
            raise BackupError(str(exc)) from exc
        media = [n for n in manifest["files"] if n.startswith(f"{MEDIA}/")]
        for name in media:
            target = media_root / PurePosixPath(name).relative_to(MEDIA)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(work / name, target)
    return RestoreResult(
        engine=manifest["engine"], files=len(media), created_at=manifest["created_at"]
    )
