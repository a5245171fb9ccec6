#!/usr/bin/env python3
"""Drives one LMTP scenario with Python's smtplib.LMTP (a real, independent client) and prints every reply.

usage: lmtp_reply_codes.py HOST PORT SCENARIO [ARG...]
Prints one line per server reply: "<step> <code> <text>" (text decoded as ASCII, lines joined with " / ").
smtplib reads one reply after DATA; LMTP sends one per accepted recipient (RFC 2033 section 4.2), so the
further replies are read with getreply(). Raw octets (bare LF, BDAT, a dropped connection) go through
send() on the same connection.
"""
import smtplib
import sys
import time

SENDER = "sender@example.org"


def show(step, reply):
    code, text = reply
    if isinstance(text, bytes):
        text = text.decode("ascii", "replace")
    print(step, code, text.replace("\n", " / "), flush=True)


def connect(host, port):
    return smtplib.LMTP(host, port, timeout=30)


def lhlo(c):
    show("lhlo", c.ehlo("mta.example.org"))


def transaction(c, rcpts, mail_options=()):
    show("mail", c.mail(SENDER, list(mail_options)))
    accepted = []
    for r in rcpts:
        reply = c.rcpt(r)
        show("rcpt", reply)
        if reply[0] == 250:
            accepted.append(r)
    return accepted


def data(c, message, accepted):
    """DATA through smtplib (dot-stuffing, CRLF); then one reply per further accepted recipient; RSET if none."""
    if not accepted:
        show("rset", c.rset())
        return
    show("data", c.data(message))
    for _ in accepted[1:]:
        show("data", c.getreply())


def main():
    host, port, scenario, args = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    if scenario == "limit":
        try:
            c = connect(host, port)
            show("greeting", (220, "connected"))
            c.quit()
        except smtplib.SMTPConnectError as e:
            show("greeting", (e.smtp_code, e.smtp_error))
        return
    c = connect(host, port)
    if scenario == "no-lhlo":
        show("mail", c.docmd("MAIL FROM:<%s>" % SENDER))
        show("ehlo", c.docmd("EHLO", "mta.example.org"))
        show("helo", c.docmd("HELO", "mta.example.org"))
        lhlo(c)
        show("rcpt", c.docmd("RCPT TO:<%s>" % args[0]))
        show("data", c.docmd("DATA"))
    elif scenario == "commands":
        lhlo(c)
        transaction(c, [args[0]])
        show("rset", c.rset())
        show("data", c.docmd("DATA"))
        show("noop", c.noop())
        show("vrfy", c.verify(args[0]))
        show("quit", c.quit())
        return
    elif scenario == "deliver":
        lhlo(c)
        accepted = transaction(c, args[1:])
        data(c, open(args[0], "rb").read(), accepted)
    elif scenario == "bdat":
        lhlo(c)
        accepted = transaction(c, args[1:])
        message = open(args[0], "rb").read()
        half = len(message) // 2
        c.send(b"BDAT %d\r\n" % half + message[:half])
        show("bdat", c.getreply())
        c.send(b"BDAT %d LAST\r\n" % (len(message) - half) + message[half:])
        for _ in accepted:
            show("bdat-last", c.getreply())
    elif scenario == "bare-lf":
        lhlo(c)
        c.send(b"NOOP\n")
        show("noop-bare-lf", c.getreply())
        accepted = transaction(c, args)
        c.putcmd("DATA")
        show("data", c.getreply())
        c.send(b"From: a@example.org\r\nSubject: bare LF\r\n\r\nline one\nline two\r\n.\r\n")
        for _ in accepted:
            show("data", c.getreply())
    elif scenario == "invalid-addresses":
        lhlo(c)
        show("mail", c.docmd("MAIL FROM:<not an address>"))
        show("mail", c.mail(SENDER))
        show("rcpt", c.docmd("RCPT TO:<two@@example.com>"))
        show("rcpt", c.docmd("RCPT TO:"))
        show("rcpt", c.docmd("RCPT TO:<%s>" % args[0]))
        show("rcpt", c.rcpt(args[1]))
        show("data", c.docmd("DATA"))
    elif scenario == "oversize":
        lhlo(c)
        show("mail", c.mail(SENDER, ["SIZE=%s" % args[0]]))
        accepted = transaction(c, args[2:])
        data(c, open(args[1], "rb").read(), accepted)
    elif scenario == "too-many":
        lhlo(c)
        accepted = transaction(c, args[1:])
        data(c, open(args[0], "rb").read(), accepted)
    elif scenario == "eight-bit":
        lhlo(c)
        message = open(args[0], "rb").read()
        accepted = transaction(c, args[1:])
        data(c, message, accepted)
        accepted = transaction(c, args[1:], ["BODY=8BITMIME"])
        data(c, message, accepted)
    elif scenario == "drop-mid-data":
        lhlo(c)
        transaction(c, args)
        c.putcmd("DATA")
        show("data", c.getreply())
        c.send(b"From: a@example.org\r\nSubject: never finished\r\n\r\nhalf a bo")
        c.sock.close()
        return
    elif scenario == "data-timeout":
        lhlo(c)
        transaction(c, args[1:])
        c.putcmd("DATA")
        show("data", c.getreply())
        c.send(b"From: a@example.org\r\nSubject: stalled\r\n")
        time.sleep(float(args[0]))
        show("timeout", c.getreply())
        return
    elif scenario == "command-timeout":
        lhlo(c)
        time.sleep(float(args[0]))
        show("timeout", c.getreply())
        return
    else:
        raise SystemExit("unknown scenario " + scenario)
    show("quit", c.quit())


if __name__ == "__main__":
    main()
