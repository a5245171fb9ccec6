#!/usr/bin/env bash
# Installs Debian's postfix for PostfixDeliveryTest (a real MTA in front of Stratus LMTP). Idempotent: does
# nothing when postfix is already there. Needs root (apt-get).
#
# The system instance is left unconfigured ("No configuration": no /etc/postfix/main.cf, never started, nothing
# listens on port 25); the test runs a private instance with its own config and queue directories.
set -euo pipefail

if [ -x /usr/sbin/postfix ] && [ -x /usr/sbin/postqueue ] && [ -x /usr/sbin/postconf ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "postfix/install.sh: postfix is missing and installing it needs root" >&2
  exit 1
fi
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
echo "postfix-install: installing postfix"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postfix >/dev/null
/usr/sbin/postconf -d mail_version
