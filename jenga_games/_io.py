"""Atomic file writes: a file is either the old one or the complete new one."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import SchemaError, TooLargeError

__all__ = [
    "MAX_FILE_BYTES",
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "decode_utf8",
    "looks_like_path",
    "read_text_limited",
]


_TMP_MARK = ".jenga-tmp-"


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _remove_stale_temps(target: Path) -> None:
    """Delete partial files left beside ``target`` by writers that were killed (dead pid)."""
    prefix = f".{target.name}{_TMP_MARK}"
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            if not entry.name.startswith(prefix):
                continue
            pid_text = entry.name[len(prefix) :].split("-", 1)[0]
            if pid_text.isdigit() and not _pid_alive(int(pid_text)):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``.

    Use it for writers that want a filename (``fig.savefig``, ``df.to_parquet``).
    The temporary file keeps the target's suffix so format detection still works.

    The new file gets the mode an ordinary ``open(path, "w")`` would give: the
    existing file's mode when it is replaced, otherwise ``0o666`` less the
    umask (``0644`` under the usual umask ``022``). When ``path`` is a
    symbolic link the file it points to is replaced and the link kept.
    Partial files left by writers that were killed (their process is gone)
    are removed on the next write to the same target.
    """
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(target)
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = 0o666 & ~_current_umask()
    fd, tmp = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}{_TMP_MARK}{os.getpid()}-", suffix=target.suffix
    )
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (fsync, then rename)."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    return Path(path)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically."""
    return atomic_write_bytes(path, text.encode(encoding))


# -- reading ------------------------------------------------------------------------------
#: Largest file a loader reads (bytes); bigger files are refused before reading.
MAX_FILE_BYTES = 1 << 30


def read_text_limited(path: str | os.PathLike[str], what: str, limit: int | None = None) -> str:
    """The UTF-8 text of ``path``, refusing devices, oversized files and other encodings early.

    Shared by the file loaders so that ``/dev/zero``, a 10 GB file or a
    Latin-1 file give one clear :class:`~jenga_games.errors.SchemaError`
    instead of exhausting memory or a ``UnicodeDecodeError``.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    path = Path(path)
    try:
        st = path.stat()
    except OSError as err:
        raise SchemaError(f"cannot read {what} {str(path)!r}: {err.strerror or err}") from None
    if stat.S_ISDIR(st.st_mode):
        raise SchemaError(f"{what} {str(path)!r} is a folder; give the path of a file")
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        raise SchemaError(f"{what} {str(path)!r} is a device, not a file; give the path of a file")
    if st.st_size > limit:
        raise TooLargeError(
            f"{what} {str(path)!r} has {st.st_size:,} bytes, more than the limit of "
            f"{limit:,}; split it or raise jenga_games._io.MAX_FILE_BYTES"
        )
    with open(path, "rb") as fh:  # a pipe has no size: read at most limit + 1 bytes
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise TooLargeError(
            f"{what} {str(path)!r} is longer than the limit of {limit:,} bytes; "
            "split it or raise jenga_games._io.MAX_FILE_BYTES"
        )
    return decode_utf8(data, str(path))


def decode_utf8(data: bytes, origin: str) -> str:
    """``data`` as UTF-8 text, or a :class:`SchemaError` saying where the first bad byte is."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise SchemaError(
            f"{origin}, line {line}: byte 0x{data[err.start]:02x} is not UTF-8 text; "
            "save the file as UTF-8 (e.g. 'iconv -f latin1 -t utf-8')"
        ) from None


def game_file_text(source: Any, reader: str, suffix: str, magic: str) -> tuple[str, str]:
    """``(text, name)`` of a game file given as a path, its text or its bytes.

    Shared by ``read_nfg`` and ``read_efg``: a string that names an existing
    file is a path whatever it starts with; otherwise a string starting with
    ``magic`` (``"NFG"``, ``"EFG"``) or spanning several lines is the text
    itself. Files are read through :func:`read_text_limited`.
    """
    if isinstance(source, bytes):
        source = decode_utf8(source, f"<{suffix[1:]} text>")
    if isinstance(source, str) and not looks_like_path(source):
        if source.lstrip().startswith(magic) or "\n" in source:
            return source, f"<{suffix[1:]} text>"
        missing = source[:200]
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.exists():
            return read_text_limited(path, f"{suffix} file"), str(path)
        missing = str(path)
    else:
        raise SchemaError(f"{reader} needs a path or the file's text, got {type(source).__name__}")
    raise SchemaError(
        f"no {suffix} file at {missing!r}; give a path or the file's text starting with {magic!r}"
    )


def looks_like_path(source: str) -> bool:
    """A string that names an existing file is a path, whatever it starts with (``{``, ``NFG``)."""
    if "\n" in source or len(source) > 4096 or "\0" in source:
        return False
    try:
        return Path(source).exists()
    except (OSError, ValueError):
        return False
