"""One window per data folder on this machine: starting Neck Guide again raises the first window.

The first window listens on a local socket named after its data folder (QLocalServer); a second
start finds it there, asks it to come to the front and exits. Two windows on one set of records
would each offer the other's live session for recovery; the session locks
(neck_guide.store.ownership) guard the records where two machines share a folder.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Final

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

WAIT_MS: Final = 1000
_RAISE: Final = b"raise\n"


def server_name(data: Path) -> str:
    """The socket's name for a data folder (per user: the uid is part of it)."""
    digest = hashlib.sha256(str(data.resolve()).encode()).hexdigest()[:16]
    return f"neck-guide-{os.getuid()}-{digest}"


def raise_running(data: Path) -> bool:
    """Ask a window already open on ``data`` to come to the front; True if there was one."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data))
    if not socket.waitForConnected(WAIT_MS):
        return False
    socket.write(_RAISE)
    socket.waitForBytesWritten(WAIT_MS)
    socket.disconnectFromServer()
    return True


class FirstWindow(QObject):
    """Listens for later starts on the same data folder.

    Signals:
        raise_requested(): another start asked this window to come to the front.
    """

    raise_requested = Signal()

    def __init__(self, data: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_connection)
        name = server_name(data)
        if not self._server.listen(name):  # a socket left by a crashed window: nobody answered on it
            QLocalServer.removeServer(name)
            self._server.listen(name)

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def _on_connection(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.disconnected.connect(socket.deleteLater)
            self.raise_requested.emit()
