package io.stratusmail.mailbox;

import io.stratusmail.mailbox.user.Username;

/**
 * A mailbox of one user.
 *
 * @param id          stable identity (messages are keyed by it)
 * @param owner       the user it belongs to
 * @param name        its current name
 * @param uidValidity RFC 3501 section 2.3.1.1 UIDVALIDITY: fixed at creation, unique per name; a
 *                    non-zero unsigned 32-bit value
 */
public record Mailbox(MailboxId id, Username owner, MailboxName name, long uidValidity) {
}
