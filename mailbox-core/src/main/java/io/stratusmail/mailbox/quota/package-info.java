/**
 * Quotas (RFC 9208 resources {@code STORAGE} and {@code MESSAGE}): per-user limits ({@link
 * io.stratusmail.mailbox.quota.UserQuota}, stored by a {@link io.stratusmail.mailbox.quota.QuotaRepository}),
 * node-wide defaults, usage computed exactly from the per-mailbox counters ({@link
 * io.stratusmail.mailbox.quota.Quotas}), and enforcement on every write path that adds messages ({@link
 * io.stratusmail.mailbox.quota.QuotaEnforcingMessageStore}).
 */
package io.stratusmail.mailbox.quota;
