package io.stratusmail.mailbox.registry;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.SpecialUse;
import io.stratusmail.mailbox.user.Username;
import java.util.Objects;
import java.util.Set;

/**
 * One name in a user's mailbox registry: a mailbox, or a {@code \Noselect} placeholder that only holds inferior
 * names (RFC 3501 sections 6.3.3, 6.3.4).
 *
 * @param name        the name
 * @param id          the mailbox id; null for a placeholder
 * @param uidValidity UIDVALIDITY of the mailbox (1 to 2^32-1); 0 for a placeholder
 * @param specialUse  RFC 6154 attributes; empty for a placeholder
 */
public record RegistryEntry(MailboxName name, MailboxId id, long uidValidity, Set<SpecialUse> specialUse) {

    public RegistryEntry {
        Objects.requireNonNull(name, "name");
        specialUse = SpecialUse.copyOf(specialUse);
        if (id == null && (uidValidity != 0 || !specialUse.isEmpty())) {
            throw new IllegalArgumentException("a placeholder has no UIDVALIDITY and no special use");
        }
        if (id != null && (uidValidity < 1 || uidValidity > MailboxTree.MAX_UID_VALIDITY)) {
            throw new IllegalArgumentException("UIDVALIDITY out of range: " + uidValidity);
        }
    }

    /** A {@code \Noselect} name. */
    public static RegistryEntry placeholder(MailboxName name) {
        return new RegistryEntry(name, null, 0, Set.of());
    }

    public boolean isPlaceholder() {
        return id == null;
    }

    /** The same mailbox (or placeholder) under another name: RENAME keeps id, UIDVALIDITY and special use. */
    public RegistryEntry renamed(MailboxName to) {
        return new RegistryEntry(to, id, uidValidity, specialUse);
    }

    /**
     * The mailbox of this entry.
     *
     * @throws IllegalStateException for a placeholder
     */
    public Mailbox toMailbox(Username owner) {
        if (id == null) {
            throw new IllegalStateException(name + " is a \\Noselect placeholder");
        }
        return new Mailbox(id, owner, name, uidValidity);
    }
}
