package io.stratusmail.lmtp.delivery;

import io.stratusmail.mailbox.user.Username;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the mail of one RCPT goes: the account that receives it and, for a subaddress (RFC 5233
 * {@code user+detail@domain}), the detail naming the mailbox to deliver into.
 *
 * @param user   the receiving account (the RCPT address itself, or the user an alias or subaddress leads to)
 * @param detail the subaddress detail, empty for plain addresses; a detail that names no mailbox of the user,
 *               or no valid mailbox name, means INBOX
 */
public record Destination(Username user, Optional<String> detail) {

    public Destination {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(detail, "detail");
    }

    /** The INBOX of {@code user}. */
    public static Destination inbox(Username user) {
        return new Destination(user, Optional.empty());
    }
}
