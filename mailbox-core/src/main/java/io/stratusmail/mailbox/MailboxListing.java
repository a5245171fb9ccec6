package io.stratusmail.mailbox;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One name of a user's mailbox hierarchy with what LIST says about it (RFC 3501 section 7.2.2, RFC 3348,
 * RFC 6154, RFC 5258 {@code \Subscribed}).
 *
 * @param name       the name
 * @param mailbox    the mailbox of that name; empty for a {@code \Noselect} name, which exists only to hold
 *                   inferior names (an implied parent, or a mailbox deleted while it had children)
 * @param hasChildren whether inferior names exist: {@code \HasChildren}, else {@code \HasNoChildren} (RFC 3348)
 * @param specialUse its special-use attributes (RFC 6154); empty for a {@code \Noselect} name
 * @param subscribed whether the name is in the user's subscriptions (RFC 3501 section 6.3.6)
 */
public record MailboxListing(MailboxName name, Optional<Mailbox> mailbox, boolean hasChildren,
                             Set<SpecialUse> specialUse, boolean subscribed) {

    public MailboxListing {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mailbox, "mailbox");
        specialUse = SpecialUse.copyOf(specialUse);
    }

    /** Whether the name cannot be selected ({@code \Noselect}, RFC 3501 section 7.2.2). */
    public boolean noselect() {
        return mailbox.isEmpty();
    }
}
