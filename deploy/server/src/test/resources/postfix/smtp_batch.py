#!/usr/bin/env python3
"""Submits a batch of messages over one SMTP connection with Python's smtplib, one transaction per message.

usage: smtp_batch.py HOST PORT SENDER PLAN_FILE
PLAN_FILE has one line per message: "KEY<TAB>RCPT[,RCPT...]<TAB>EML_FILE".
Prints "queued KEY QUEUE_ID" per message as soon as the server accepted it (Postfix: "250 2.0.0 Ok: queued as
<id>"), so a caller can follow the queue while the batch is still being submitted.
Exits 1 at the first refused sender, recipient or data (after printing why); sends at most 10,000 messages.
"""
import smtplib
import sys

MAX_MESSAGES = 10000


def main():
    host, port, sender, plan = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    with open(plan, encoding="utf-8") as f:
        lines = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    if len(lines) > MAX_MESSAGES:
        print("plan has", len(lines), "messages, more than", MAX_MESSAGES)
        sys.exit(1)
    smtp = smtplib.SMTP(host, port, timeout=60)
    smtp.ehlo("client.example.test")
    for key, rcpts, eml in lines:
        with open(eml, "rb") as m:
            data = m.read()
        code, msg = smtp.mail(sender, ["BODY=8BITMIME"])
        if code != 250:
            print("mail refused", key, code, msg.decode(errors="replace"), flush=True)
            sys.exit(1)
        for r in rcpts.split(","):
            code, msg = smtp.rcpt(r)
            if code not in (250, 251):
                print("rcpt refused", key, r, code, msg.decode(errors="replace"), flush=True)
                sys.exit(1)
        code, msg = smtp.data(data)
        if code != 250:
            print("data refused", key, code, msg.decode(errors="replace"), flush=True)
            sys.exit(1)
        print("queued", key, msg.decode().rsplit(" ", 1)[-1], flush=True)
    smtp.quit()


if __name__ == "__main__":
    main()
