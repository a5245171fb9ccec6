package io.stratusmail.mailbox.message;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Messages of mailboxes, with their UIDs, MODSEQs and flags.
 *
 * <p>Invariants kept by every implementation (architecture invariant 4; RFC 3501 section 2.3.1.1,
 * RFC 7162 section 3.1): per mailbox, UIDs are strictly ascending in the order messages become visible and
 * never reused; MODSEQ strictly increases with every append, flag change and expunge; this holds with any
 * number of nodes writing one mailbox. A mailbox's creation counts as MODSEQ {@value #NEW_MAILBOX_MODSEQ}: a
 * mailbox nothing was written to reports HIGHESTMODSEQ {@value #NEW_MAILBOX_MODSEQ} and its first change gets a
 * higher MODSEQ, so HIGHESTMODSEQ is always a positive mod-sequence (RFC 7162 sections 3.1.1 and 7) and a client
 * that saw the new mailbox's value misses no change. Every returned stage completes only once the change is committed
 * at the configured consistency; on failure it completes exceptionally with
 * {@link io.stratusmail.mailbox.StorageUnavailableException} and no partial message is visible.
 */
public interface MessageStore {

    /**
     * HIGHESTMODSEQ of a mailbox before its first change (RFC 7162 section 3.1.2.1 needs a positive value on
     * every SELECT); the first change gets a higher MODSEQ.
     */
    long NEW_MAILBOX_MODSEQ = 1;

    /** Largest message accepted by {@link #append}, in octets, unless configured otherwise. */
    long DEFAULT_MAX_MESSAGE_SIZE = 64L * 1024 * 1024;

    /** Most messages one {@link #appendAll}, {@link #copy} or {@link #move} call takes. */
    int MAX_MESSAGES_PER_CALL = 10_000;

    /** Longest header prefix (per-recipient trace header lines) accepted by the append of stored content, in octets. */
    int MAX_HEADER_PREFIX = 8 * 1024;

    /**
     * Stores message octets once, before any message refers to them, for one or more appends by reference
     * (LMTP: one copy for all recipients of a transaction). Nothing is visible in any mailbox until such an
     * append commits; octets no message ever refers to are removed by the store's collector after its grace
     * period (see {@link StoredContent}).
     *
     * @param content the octets, at most the store's message size limit; not copied: do not change it until
     *                the stage completes
     * @return a handle for {@link #append(Mailbox, StoredContent, byte[], Flags, Instant)}
     * @throws IllegalArgumentException (in the stage) for content over the size limit
     */
    CompletionStage<StoredContent> storeContent(byte[] content);

    /**
     * As {@link #storeContent(byte[])} for the octets between {@code content}'s position and limit, which may be
     * a memory-mapped file ({@link java.nio.channels.FileChannel#map}, e.g. an IMAP APPEND literal spooled to
     * disk): the store reads the buffer in place, by absolute index and in chunk-sized slices, so a large message
     * is stored (and its {@link io.stratusmail.mailbox.mime.MessageSummary} computed) without ever being on the
     * heap whole. The buffer's position and limit are not changed.
     *
     * @param content the octets, at most the store's message size limit; not copied: do not change them (nor
     *                truncate a mapped file) until the stage completes
     * @throws IllegalArgumentException (in the stage) for content over the size limit
     */
    CompletionStage<StoredContent> storeContent(java.nio.ByteBuffer content);

    /**
     * Appends a message whose octets are {@code headerPrefix} followed by the stored {@code content}, sharing
     * the stored octets with every other message made from the same handle; allocates UID and MODSEQ as
     * {@link #append(Mailbox, byte[], Flags, Instant)} does. RFC822.SIZE is the prefix length plus the content
     * size.
     *
     * @param headerPrefix header lines placed before the stored message's own header, each ending in CRLF (for
     *                     example {@code Delivered-To: a@example.org\r\n}); may be empty; at most
     *                     {@link #MAX_HEADER_PREFIX} octets
     * @throws IllegalArgumentException (in the stage) for a longer prefix or an unknown/collected handle
     */
    CompletionStage<AppendResult> append(Mailbox mailbox, StoredContent content, byte[] headerPrefix, Flags flags,
                                         Instant internalDate);

    /**
     * The message of {@code mailbox} made from the stored content {@code contentId} ({@link StoredContent#id()}):
     * appended with it by {@link #append(Mailbox, StoredContent, byte[], Flags, Instant)}, or a COPY/MOVE of such a
     * message (they share the content), if one exists. Lets a caller whose append failed with an unknown outcome
     * (a timeout or lost connection while the store was committing; Cassandra may complete such a write later)
     * learn whether it committed, for example LMTP before storing an MTA's retry a second time.
     *
     * <p>Final once the earlier append's stage has completed: the store reads the mailbox so that a commit still in
     * progress is finished or made impossible first (Cassandra: a SERIAL read, which completes or supersedes any
     * Paxos proposal in flight), so an append this call does not find never becomes visible afterwards. A message
     * found and later expunged is not found again.
     *
     * @param contentId the id of a handle from {@link #storeContent}; an unknown or collected id finds nothing
     * @return the message's record (the lowest UID when several were made from the content), empty when none
     *         exists; fails with {@link io.stratusmail.mailbox.StorageUnavailableException} when the store cannot
     *         answer
     */
    CompletionStage<Optional<MessageRecord>> findAppended(MailboxId mailbox, java.util.UUID contentId);

    /**
     * Octets {@code [from, to)} of a message's full content (BODY[] with header prefix), clamped to its size:
     * a range past the end gives fewer octets (possibly none). Reads only the stored chunks covering the
     * range, so a partial or header fetch of a large message does not read the whole message (RFC 3501
     * section 6.4.5 BODY[]&lt;origin.octets&gt;).
     *
     * @param from first octet, 0 or more
     * @param to   end of the range, exclusive, at least {@code from}
     * @return the octets, empty when the message does not exist
     * @throws IllegalArgumentException (in the stage) for a negative {@code from} or {@code to < from}
     */
    CompletionStage<Optional<byte[]>> content(MailboxId mailbox, long uid, long from, long to);

    /**
     * The precomputed {@link io.stratusmail.mailbox.mime.MessageSummary} (RFC822.SIZE, ENVELOPE, BODYSTRUCTURE,
     * MIME entity offsets; RFC 3501 section 7.4.2) of each existing message among {@code uids}, computed once
     * when the content was stored, so FETCH of these items reads no message content. For a message with a header
     * prefix the summary covers prefix and content ({@code summary.prefixed(prefix length)}). A message stored
     * without a precomputed summary (before the store kept them) gets one computed from its content.
     *
     * @param uids at most {@link #MAX_MESSAGES_PER_CALL}; unknown UIDs are skipped
     * @return UID to summary, for the messages that exist
     */
    CompletionStage<Map<Long, io.stratusmail.mailbox.mime.MessageSummary>> summaries(MailboxId mailbox,
                                                                                     Collection<Long> uids);

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

    /**
     * MESSAGES, UNSEEN, SIZE, UIDNEXT and HIGHESTMODSEQ of a mailbox for STATUS (RFC 3501 section 6.3.10,
     * RFC 8438, RFC 7162 section 3.1.2.1), exact even while other nodes write, read without reading the
     * messages. A mailbox nothing was written to (and an unknown one) has {@link MailboxCounters#EMPTY}.
     */
    CompletionStage<MailboxCounters> counters(MailboxId mailbox);

    /**
     * Stores several messages with consecutive UIDs and MODSEQs in list order (for COPY-like bulk work,
     * migrations and RFC 3502 MULTIAPPEND). Messages are committed in rounds of at most 100, each round
     * atomic; when a later round fails, the messages of the earlier rounds are expunged again before the stage
     * fails, so a failure leaves none of them (other sessions may have seen them appear and vanish).
     *
     * @param messages at most {@link #MAX_MESSAGES_PER_CALL}; each within the store's message size limit
     * @return one result per message, in list order
     * @throws IllegalArgumentException (in the stage) for too many or too large messages, before anything is
     *                                  stored
     */
    CompletionStage<List<AppendResult>> appendAll(Mailbox mailbox, List<MessageToAppend> messages);

    /**
     * COPY / UID COPY (RFC 3501 section 6.4.7, RFC 4315 COPYUID): appends to {@code destination} a copy of each
     * existing message among {@code uids} with its flags, INTERNALDATE and content ({@code \Recent} is session
     * state and is not copied). Copies get UIDs ascending in source UID order. Unknown UIDs are skipped. When
     * the copy fails part-way, the copies already committed are expunged again (RFC 3501: a failed COPY leaves
     * the destination as it was).
     *
     * @param uids at most {@link #MAX_MESSAGES_PER_CALL}
     * @return the destination's UIDVALIDITY and the source-to-destination UID pairs (empty when no UID exists)
     */
    CompletionStage<CopyResult> copy(MailboxId source, Collection<Long> uids, Mailbox destination);

    /**
     * MOVE / UID MOVE (RFC 6851): copies as {@link #copy} does, then expunges the sources (whether or not they
     * have {@code \Deleted}); each removal increases the source's HIGHESTMODSEQ. The copies are committed
     * before any source is removed, so a message is never in neither mailbox; a failure between the two
     * leaves it in both, and a retried MOVE of the same UIDs then reuses the copy already made instead of
     * making a second one. A message another session removed from the source meanwhile is not moved (its copy
     * is withdrawn), so two concurrent MOVEs of one message leave exactly one copy.
     *
     * @param uids at most {@link #MAX_MESSAGES_PER_CALL}
     * @return the destination's UIDVALIDITY and one pair per message moved; its source UIDs are the ones
     *         expunged from the source (for the EXPUNGE or VANISHED responses)
     */
    CompletionStage<CopyResult> move(MailboxId source, Collection<Long> uids, Mailbox destination);

    /**
     * Conditional STORE (RFC 7162 section 3.1.3, {@code UNCHANGEDSINCE}): applies the update to each existing
     * message whose MODSEQ is at most {@code unchangedSince}; the others are left unchanged and reported as
     * modified. The test and the update are one atomic step per message, however many nodes write. A message
     * whose flags the update leaves as they are keeps its MODSEQ.
     *
     * @param unchangedSince a MODSEQ, 0 or more ({@code 0} makes every existing message fail the test)
     * @throws IllegalArgumentException (in the stage) for a negative {@code unchangedSince}
     */
    CompletionStage<FlagUpdateResult> updateFlags(MailboxId mailbox, Collection<Long> uids, FlagUpdate update,
                                                  long unchangedSince);

    /**
     * What changed after {@code modSeq} (RFC 7162 section 3.1.4.1 CHANGEDSINCE, section 3.2.5.2 QRESYNC,
     * section 3.2.10 VANISHED; NOOP and IDLE updates): every existing message with a higher MODSEQ, and the UIDs
     * expunged after it. Expunges are remembered for a limited time (the store's retention, 30 days by
     * default); beyond it {@link MailboxChanges#vanishedComplete()} is false.
     *
     * @param modSeq a MODSEQ the caller knows, 0 or more
     * @throws IllegalArgumentException (in the stage) for a negative {@code modSeq}
     */
    CompletionStage<MailboxChanges> changesSince(MailboxId mailbox, long modSeq);

    /**
     * Claims the {@code \Recent} flag (RFC 3501 section 2.3.2) of the messages no session has claimed yet: the
     * returned range is {@code \Recent} for the caller's session only, across every node; the next claim
     * starts where this one ended. A session claims at SELECT/EXAMINE and again when it learns of new
     * messages. Does not change HIGHESTMODSEQ.
     */
    CompletionStage<RecentRange> claimRecent(MailboxId mailbox);

    /**
     * How many messages no session has claimed {@code \Recent} of yet: those the next {@link #claimRecent} would
     * return (RFC 3501 section 6.3.10 STATUS RECENT of a mailbox the asking session has not selected; they are
     * {@code \Recent} for the next session that selects it). Claims nothing, so a STATUS never takes
     * {@code \Recent} away from the session that selects the mailbox next. Expunged messages are not counted.
     *
     * @return 0 or more; 0 for an unknown mailbox
     */
    CompletionStage<Long> unclaimedRecent(MailboxId mailbox);
}
