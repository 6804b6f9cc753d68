"""Debian's nginx in front of a `pressroom serve`, on loopback, with the site config of
``deploy/nginx-pressroom.conf``: only its listen port and upstream address are changed.

    with Nginx(workdir, listen_port, app_port) as proxy: ... proxy.url ...
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

REPO = Path(__file__).resolve().parent.parent
SITE = REPO / "deploy" / "nginx-pressroom.conf"

# The smallest main config around the site; every path nginx writes is under the prefix.
MAIN = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def site_config(listen_port: int, app_port: int) -> str:
    """The deploy site config listening on 127.0.0.1:``listen_port`` and sending to
    127.0.0.1:``app_port``."""
    text = SITE.read_text(encoding="utf-8")
    text, listens = re.subn(r"listen 80;", f"listen 127.0.0.1:{listen_port};", text)
    text, upstreams = re.subn(r"server 127\.0\.0\.1:7860;", f"server 127.0.0.1:{app_port};", text)
    if listens != 1 or upstreams != 1:
        raise RuntimeError(f"{SITE}: expected one `listen 80;` and one upstream 127.0.0.1:7860")
    return text


class Nginx:
    """A foreground nginx (``-g 'daemon off;'``) with its config in ``folder``."""

    def __init__(self, folder: Path, listen_port: int, app_port: int) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx)")
        self.binary = binary
        self.folder = folder
        self.port = listen_port
        self.url = f"http://127.0.0.1:{listen_port}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "site.conf").write_text(site_config(listen_port, app_port), encoding="utf-8")
        (folder / "nginx.conf").write_text(MAIN.format(prefix=folder), encoding="utf-8")
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Nginx:
        command = [self.binary, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")]
        test = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if test.returncode != 0:
            raise RuntimeError(f"nginx -t failed: {test.stderr.strip()}")
        self.process = subprocess.Popen(
            [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.process.stderr.read()!r}")  # type: ignore[union-attr]
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        self.__exit__(None, None, None)
        raise RuntimeError("nginx did not listen in 20 s")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
