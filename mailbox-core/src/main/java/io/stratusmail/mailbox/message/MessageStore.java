package io.stratusmail.mailbox.message;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Messages of mailboxes, with their UIDs, MODSEQs and flags.
 *
 * <p>Invariants kept by every implementation (architecture invariant 4; RFC 3501 section 2.3.1.1,
 * RFC 7162 section 3.1): per mailbox, UIDs are strictly ascending in the order messages become visible and
 * never reused; MODSEQ strictly increases with every append, flag change and expunge; this holds with any
 * number of nodes writing one mailbox. Every returned stage completes only once the change is committed
 * at the configured consistency; on failure it completes exceptionally with
 * {@link io.stratusmail.mailbox.StorageUnavailableException} and no partial message is visible.
 */
public interface MessageStore {

    /** Largest message accepted by {@link #append}, in octets, unless configured otherwise. */
    long DEFAULT_MAX_MESSAGE_SIZE = 64L * 1024 * 1024;

    /**
     * Stores a message and allocates its UID and MODSEQ atomically.
     *
     * @param mailbox      target mailbox
     * @param content      the message octets exactly as RFC822.SIZE and BODY[] will return them
     * @param flags        initial flags
     * @param internalDate INTERNALDATE
     */
    CompletionStage<AppendResult> append(Mailbox mailbox, byte[] content, Flags flags, Instant internalDate);

    /** UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ and every message's UID, MODSEQ and flags (for SELECT). */
    CompletionStage<MailboxSnapshot> snapshot(Mailbox mailbox);

    /** The messages with the given UIDs that exist, ascending by UID. Unknown UIDs are skipped. */
    CompletionStage<List<MessageRecord>> records(MailboxId mailbox, Collection<Long> uids);

    /** The full content of a message (BODY[]), empty when it does not exist (expunged meanwhile). */
    CompletionStage<Optional<byte[]>> content(MailboxId mailbox, long uid);

    /**
     * Applies a flag update to each given message that exists. Each changed message gets a new MODSEQ; a
     * message whose flags the update leaves as they are keeps its MODSEQ.
     *
     * @return the records after the update of every message that exists, ascending by UID
     */
    CompletionStage<List<MessageRecord>> updateFlags(MailboxId mailbox, Collection<Long> uids, FlagUpdate update);

    /**
     * Removes those of the given messages that have {@code \Deleted} (RFC 3501 section 6.4.3, RFC 4315 UID
     * EXPUNGE). Each removal increases HIGHESTMODSEQ.
     *
     * @return the UIDs removed, ascending
     */
    CompletionStage<List<Long>> expunge(MailboxId mailbox, Collection<Long> uids);
}
