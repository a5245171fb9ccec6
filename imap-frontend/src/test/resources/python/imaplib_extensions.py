"""NAMESPACE, APPEND, SEARCH (with a UTF-8 charset), UNSELECT and ID through Python's imaplib.

Usage: imaplib_extensions.py PORT USER PASSWORD
"""
import imaplib
import sys

port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
m = imaplib.IMAP4("127.0.0.1", port)
m.login(user, password)
typ, data = m.namespace()
print("namespace", typ, data[0].decode())
message = (b"From: Py <py@example.org>\r\nSubject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\nK\xc3\xa4se und Br\xc3\xb6tchen\r\n")
typ, data = m.append("INBOX", "(\\Seen)", imaplib.Time2Internaldate(1700000000), message)
print("append", typ, data[0].decode())
typ, data = m.select("INBOX")
print("select", typ, data[0].decode())
typ, data = m.search(None, "DELETED")
print("search", typ, data[0].decode())
typ, data = m.search(None, "SEEN", "FROM", "py")
print("search-text", typ, data[0].decode())
typ, data = m.uid("SEARCH", "SUBJECT", "gr")
print("uid-search", typ, data[0].decode())
m.literal = "K\u00c4SE".encode("utf-8")
typ, data = m.search("UTF-8", "BODY")
print("search-utf8", typ, data[0].decode())
print("unselect", m.unselect()[0])
typ, data = m.xatom("ID", '("name" "imaplib")')
print("id", typ)
m.logout()
