"""A real SMTP server for the integration tests (aiosmtpd, Debian's python3-aiosmtpd).

Usage: smtp_sink.py DIR [REFUSE]
Listens on a free port of 127.0.0.1 and prints it on the first line of stdout. Every message it
accepts is written whole to DIR/<n>.eml, with its envelope in DIR/<n>.json. The first REFUSE
messages (default 0) are answered "451 try again later", as a mail server with a passing problem
would.
"""
import asyncio
import json
import pathlib
import sys

from aiosmtpd.smtp import SMTP


class Save:
    def __init__(self, out, refuse):
        self.out = out
        self.refuse = refuse
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.count += 1
        stem = self.out / f"{self.count:06d}"
        envelope_json = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}
        stem.with_suffix(".json").write_text(json.dumps(envelope_json))
        partial = stem.with_suffix(".partial")
        partial.write_bytes(envelope.original_content or envelope.content)
        partial.rename(stem.with_suffix(".eml"))
        return "250 2.0.0 OK"


async def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    handler = Save(out, int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="sink.test"), "127.0.0.1", 0
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


asyncio.run(main())
