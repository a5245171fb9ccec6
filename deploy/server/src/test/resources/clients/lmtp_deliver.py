#!/usr/bin/env python3
"""Delivers .eml files over LMTP with Python's smtplib.LMTP (a real, independent LMTP client).

usage: lmtp_deliver.py HOST PORT PLAN
PLAN is a text file, one transaction per line: "<path to .eml> <rcpt>[,<rcpt>...]".
Prints one line per transaction: "<path> <rcpt>=<code> ..." and exits 1 if any recipient was refused.
"""
import smtplib
import sys


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
            try:
                refused = lmtp.sendmail("sender@example.org", rcpts, data)
            except smtplib.SMTPRecipientsRefused as e:
                refused = e.recipients
            except smtplib.SMTPDataError as e:
                refused = {r: (e.smtp_code, e.smtp_error) for r in rcpts}
            codes = " ".join(f"{r}={refused[r][0] if r in refused else 250}" for r in rcpts)
            print(path, codes, flush=True)
            failed += len(refused)
    lmtp.quit()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
