package io.stratusmail.mailbox.quota;

/**
 * A user's effective limits beside its usage (for IMAP GETQUOTA, RFC 9208 section 4.2, and the admin CLI).
 *
 * @param limits effective limits (own settings, else node defaults)
 * @param usage  exact usage at the time of reading
 */
public record QuotaReport(QuotaLimits limits, QuotaUsage usage) {
}
