#!/usr/bin/env python3
"""Reads every message of INBOX with Python's imaplib (a real, independent IMAP client).

usage: imap_read.py HOST PORT USER PASSWORD OUTDIR
Writes OUTDIR/<uid>.eml (the BODY[] octets) and OUTDIR/<uid>.size (RFC822.SIZE as the server sent
it), checks that ENVELOPE and BODYSTRUCTURE are answered for every message, then prints "read N".
"""
import imaplib
import os
import re
import sys


def main():
    host, port, user, password, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    os.makedirs(outdir, exist_ok=True)
    imap = imaplib.IMAP4(host, port)
    imap.login(user, password)
    typ, data = imap.select("INBOX", readonly=True)
    assert typ == "OK", data
    exists = int(data[0])
    n = 0
    for start in range(1, exists + 1, 100):
        end = min(exists, start + 99)
        typ, data = imap.fetch(f"{start}:{end}", "(UID RFC822.SIZE BODY.PEEK[])")
        assert typ == "OK", data
        for item in data:
            if not isinstance(item, tuple):
                continue
            head, body = item
            uid = re.search(rb"UID (\d+)", head).group(1).decode()
            size = re.search(rb"RFC822.SIZE (\d+)", head).group(1).decode()
            with open(os.path.join(outdir, uid + ".eml"), "wb") as f:
                f.write(body)
            with open(os.path.join(outdir, uid + ".size"), "w") as f:
                f.write(size)
            n += 1
        typ, data = imap.fetch(f"{start}:{end}", "(ENVELOPE BODYSTRUCTURE)")
        assert typ == "OK", data
        answered = sum(1 for item in data if (item[0] if isinstance(item, tuple) else item).find(b"ENVELOPE") >= 0)
        assert answered == end - start + 1, f"ENVELOPE missing in {start}:{end}: {answered}"
    imap.logout()
    print("read", n)


if __name__ == "__main__":
    main()
