"""STARTTLS and implicit TLS with Python's imaplib, trusting only the given certificate (host name checked).

Usage: imaplib_tls.py PLAIN_PORT TLS_PORT CERT_PEM USER PASSWORD
"""
import imaplib
import ssl
import sys

plain_port, tls_port, cert, user, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
context = ssl.create_default_context(cafile=cert)

m = imaplib.IMAP4("127.0.0.1", plain_port)
print("plain-caps", " ".join(sorted(c for c in m.capabilities if c in ("STARTTLS", "LOGINDISABLED", "AUTH=PLAIN"))))
print("starttls", m.starttls(ssl_context=context)[0])
print("tls-caps", " ".join(sorted(c for c in m.capabilities if c in ("STARTTLS", "LOGINDISABLED", "AUTH=PLAIN"))))
print("login", m.login(user, password)[0])
m.logout()

s = imaplib.IMAP4_SSL("127.0.0.1", tls_port, ssl_context=context)
print("ssl-login", s.login(user, password)[0])
print("ssl-version", s.sock.version())
s.logout()
