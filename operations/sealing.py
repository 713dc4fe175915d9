"""Encryption at rest for backups: a stream of Fernet tokens, so that an archive of any size is
sealed as it is written and never whole in memory.

Each chunk's token carries its position and whether it is the last, inside what Fernet
authenticates: a chunk dropped, repeated, moved or cut off at the end is refused, not restored."""

import io
import struct

from cryptography.fernet import Fernet, InvalidToken

MAGIC = b"HUB-BACKUP-FERNET-1\n"
CHUNK = 4 * 1024 * 1024
_HEADER = struct.Struct(">Q?")
_LENGTH = struct.Struct(">I")


class SealingError(Exception):
    pass


def fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode() if isinstance(key, str) else key)
    except (ValueError, TypeError) as exc:
        raise SealingError(
            "HUB_BACKUP_KEY is not a Fernet key (32 url-safe base64-encoded bytes)"
        ) from exc


def is_sealed(raw) -> bool:
    """Whether the file open at its start is sealed; leaves it at its start."""
    start = raw.read(len(MAGIC))
    raw.seek(0)
    return start == MAGIC


class SealedWriter(io.RawIOBase):
    """Write-only stream that seals what is written into `raw`; `close()` writes the last
    chunk (without it, a reader refuses the file as cut short)."""

    def __init__(self, raw, key):
        self._raw, self._fernet = raw, fernet(key)
        self._buffer = bytearray()
        self._index = 0
        raw.write(MAGIC)

    def writable(self):
        return True

    def write(self, data):
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, chunk, last):
        token = self._fernet.encrypt(_HEADER.pack(self._index, last) + chunk)
        self._raw.write(_LENGTH.pack(len(token)) + token)
        self._index += 1

    def close(self):
        if not self.closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


class SealedReader(io.RawIOBase):
    """Read-only stream of what `raw` (positioned at its start) holds, unsealed chunk by chunk."""

    def __init__(self, raw, key):
        self._raw, self._fernet = raw, fernet(key)
        if raw.read(len(MAGIC)) != MAGIC:
            raise SealingError("this is not an encrypted Hub backup")
        self._plain = b""
        self._index = 0
        self._ended = False

    def readable(self):
        return True

    def readinto(self, target):
        while not self._plain and not self._ended:
            self._plain = self._next_chunk()
        n = min(len(target), len(self._plain))
        target[:n] = self._plain[:n]
        self._plain = self._plain[n:]
        return n

    def _next_chunk(self):
        length = self._raw.read(_LENGTH.size)
        if len(length) < _LENGTH.size:
            raise SealingError("the backup is cut short: its last part is missing")
        token = self._raw.read(_LENGTH.unpack(length)[0])
        try:
            data = self._fernet.decrypt(token)
        except InvalidToken as exc:
            raise SealingError(
                "the backup cannot be decrypted: wrong HUB_BACKUP_KEY, or the file is damaged"
            ) from exc
        index, last = _HEADER.unpack(data[: _HEADER.size])
        if index != self._index:
            raise SealingError("the backup's parts are out of order")
        self._index += 1
        if last:
            if self._raw.read(1):
                raise SealingError("the backup has data after its last part")
            self._ended = True
        return data[_HEADER.size :]
