"""The web chat page channel without servers: asset lookup and the privacy filter (fast)."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.channels.webpage import WEB_DIR, WebChatPage, strip_remote_imports


def test_only_plain_files_of_web_static_are_served(tmp_path: Path):
    (tmp_path / "static").mkdir()
    channel = WebChatPage(web_dir=str(tmp_path))
    assert channel.bundle() is None
    assert channel.static_file("../index.html") is None
    shutil.copy(WEB_DIR / "static" / "tracer-chat.css", tmp_path / "static")
    assert channel.static_file("tracer-chat.css") is not None


def test_remote_imports_are_stripped():
    css = '"@import url(https://fonts.googleapis.com/css?family=Inter:400&display=swap);",".a{}"'
    assert strip_remote_imports(css) == '"",".a{}"'
    assert strip_remote_imports("@import url('//cdn.example/x.css'); b{}") == " b{}"
