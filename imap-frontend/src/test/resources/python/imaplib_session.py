"""Drives the Stratus IMAP server with Python's imaplib, a real-world client. Prints one line per check.

Usage: imaplib_session.py PORT USER PASSWORD
"""
import imaplib
import sys

port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
m = imaplib.IMAP4("127.0.0.1", port)
print("capabilities", " ".join(sorted(m.capabilities)))
print("login", m.login(user, password)[0])
typ, boxes = m.list()
print("list", typ, [b.decode() for b in boxes])
typ, data = m.select("INBOX")
print("select", typ, data[0].decode())
typ, data = m.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
subjects = [part[1].decode().strip() for part in data if isinstance(part, tuple)]
print("fetch", typ, subjects)
typ, data = m.fetch("2", "(BODY[TEXT])")
print("body", typ, data[0][1].decode().strip(), data[1].decode() if len(data) > 1 else "")
typ, data = m.uid("FETCH", "1:*", "(UID RFC822.SIZE)")
print("uid-fetch", typ, [d.decode() for d in data])
typ, data = m.store("1", "+FLAGS", "(\\Deleted)")
print("store", typ, [d.decode() for d in data])
typ, data = m.expunge()
print("expunge", typ, [d.decode() for d in data])
typ, data = m.select("INBOX", readonly=True)
print("examine", typ, data[0].decode())
print("close", m.close()[0])
print("logout", m.logout()[0])
try:
    imaplib.IMAP4("127.0.0.1", port).login(user, "wrong")
except imaplib.IMAP4.error as e:
    print("bad-login", str(e))
