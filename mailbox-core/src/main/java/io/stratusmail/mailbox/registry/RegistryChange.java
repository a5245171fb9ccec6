package io.stratusmail.mailbox.registry;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The writes one registry operation needs, as planned by {@link MailboxTree} from a snapshot of the user's
 * registry. A store applies all of them or none (the Cassandra store in one conditional batch on the user's
 * partition, conditioned on the snapshot being still current).
 *
 * @param puts            entries to write (insert or overwrite, whole row)
 * @param removals        names whose entries are removed; disjoint from {@code puts}
 * @param lastUidValidity the user's UIDVALIDITY counter after the change (never lower than before)
 * @param provisioned     whether the user's default mailboxes were provisioned, after the change
 * @param removedMailbox  the mailbox whose messages the change makes unreachable (DELETE), for collection
 * @param renamed         old name to new name of every name a RENAME moved, in hierarchy order (for moving
 *                        subscriptions); empty for other operations and for the RENAME of INBOX
 * @param result          the mailbox the operation answers with (created, provisioned INBOX, renamed mailbox)
 * @param empty           whether nothing needs to be written (the state already is what was asked)
 */
public record RegistryChange(List<RegistryEntry> puts, List<MailboxName> removals, long lastUidValidity,
                             boolean provisioned, Optional<Mailbox> removedMailbox,
                             Map<MailboxName, MailboxName> renamed, Optional<Mailbox> result, boolean empty) {

    public RegistryChange {
        puts = List.copyOf(puts);
        removals = List.copyOf(removals);
        Set<MailboxName> written = new HashSet<>();
        for (RegistryEntry e : puts) {
            if (!written.add(e.name())) {
                throw new IllegalArgumentException("two writes of " + e.name());
            }
        }
        for (MailboxName n : removals) {
            if (!written.add(n)) {
                throw new IllegalArgumentException("write and removal of " + n);
            }
        }
        renamed = Collections.unmodifiableMap(new LinkedHashMap<>(renamed));
    }
}
