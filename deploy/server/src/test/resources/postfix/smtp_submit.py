#!/usr/bin/env python3
"""Submits one message over SMTP with Python's smtplib (an independent SMTP client) in one transaction.

usage: smtp_submit.py HOST PORT SENDER RCPT[,RCPT...] EML_FILE [SMTPUTF8]
Prints "queued <queue id>" from the server's reply to DATA (Postfix: "250 2.0.0 Ok: queued as <id>").
Exits 1 if the server refuses the sender, a recipient or the data.
"""
import smtplib
import sys


def main():
    host, port, sender, rcpts, eml = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].split(","), sys.argv[5]
    options = ["BODY=8BITMIME"] + (["SMTPUTF8"] if len(sys.argv) > 6 and sys.argv[6] == "SMTPUTF8" else [])
    with open(eml, "rb") as f:
        data = f.read()
    smtp = smtplib.SMTP(host, port, timeout=30)
    smtp.ehlo("client.example.test")
    code, msg = smtp.mail(sender, options)
    if code != 250:
        print("mail refused", code, msg.decode(errors="replace"))
        sys.exit(1)
    for r in rcpts:
        code, msg = smtp.rcpt(r)
        if code not in (250, 251):
            print("rcpt refused", r, code, msg.decode(errors="replace"))
            sys.exit(1)
    code, msg = smtp.data(data)
    if code != 250:
        print("data refused", code, msg.decode(errors="replace"))
        sys.exit(1)
    print("queued", msg.decode().rsplit(" ", 1)[-1], flush=True)
    smtp.quit()


if __name__ == "__main__":
    main()
