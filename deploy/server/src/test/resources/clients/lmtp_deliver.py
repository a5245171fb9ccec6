#!/usr/bin/env python3
"""Delivers .eml files over LMTP with Python's smtplib.LMTP (a real, independent LMTP client).

usage: lmtp_deliver.py HOST PORT PLAN
PLAN is a text file, one transaction per line: "<path to .eml> <rcpt>[,<rcpt>...]".
Prints one line per transaction: "<path> <rcpt>=<code> ..." and exits 1 if any recipient was refused.

smtplib's sendmail() reads a single reply after DATA (SMTP); LMTP gives one reply per accepted
recipient (RFC 2033 section 4.2), so the transaction is driven with mail()/rcpt()/data() and the
further replies are read with getreply().
"""
import smtplib
import sys


def deliver(lmtp, rcpts, data):
    codes = {}
    code, msg = lmtp.mail("sender@example.org")
    if code != 250:
        lmtp.rset()
        return {r: code for r in rcpts}
    accepted = []
    for r in rcpts:
        code, msg = lmtp.rcpt(r)
        codes[r] = code
        if code in (250, 251):
            accepted.append(r)
    if not accepted:
        lmtp.rset()
        return codes
    code, msg = lmtp.data(data)
    codes[accepted[0]] = code
    for r in accepted[1:]:
        code, msg = lmtp.getreply()
        codes[r] = code
    return codes


def main():
    host, port, plan = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    failed = 0
    lmtp = smtplib.LMTP(host, port)
    lmtp.ehlo_or_helo_if_needed()
    with open(plan) as f:
        for line in f:
            path, rcpts = line.split()
            rcpts = rcpts.split(",")
            with open(path, "rb") as m:
                data = m.read()
            codes = deliver(lmtp, rcpts, data)
            print(path, " ".join(f"{r}={codes[r]}" for r in rcpts), flush=True)
            failed += sum(1 for r in rcpts if codes[r] != 250)
    lmtp.quit()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
