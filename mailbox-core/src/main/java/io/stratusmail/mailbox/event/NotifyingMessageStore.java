package io.stratusmail.mailbox.event;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.message.AppendResult;
import io.stratusmail.mailbox.message.CopiedMessage;
import io.stratusmail.mailbox.message.CopyResult;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.FlagUpdateResult;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.ForwardingMessageStore;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.message.MessageToAppend;
import io.stratusmail.mailbox.message.StoredContent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A {@link MessageStore} that publishes a {@link MailboxChange} on {@link MailboxEvents} after every mutation
 * that committed and changed something, and passes every call to the store it wraps. The one place where IMAP
 * and LMTP changes become hints, so neither protocol module publishes itself.
 *
 * <p>Published, before the caller's stage completes (so the hint leaves no later than the acknowledgement):
 * appends (plain, of stored content, {@code appendAll}: the highest MODSEQ appended), flag updates with at least
 * one existing message (the highest MODSEQ among the records returned), expunges that removed at least one
 * message, copies to the destination, and moves to the destination and the source. Expunges report no MODSEQ, so
 * their hints (and a move's source hint) carry {@link MailboxChange#UNKNOWN_MODSEQ}. A failed call or one that
 * changed nothing publishes nothing. Reads are passed through untouched.
 */
public final class NotifyingMessageStore extends ForwardingMessageStore {

    private final MailboxEvents events;

    /**
     * @param delegate the store that does the work
     * @param events   where the hints go
     */
    public NotifyingMessageStore(MessageStore delegate, MailboxEvents events) {
        super(delegate);
        this.events = Objects.requireNonNull(events, "events");
    }

    private void publish(MailboxId mailbox, long modSeq) {
        events.publish(new MailboxChange(mailbox, modSeq));
    }

    private static long highest(List<MessageRecord> records) {
        long max = MailboxChange.UNKNOWN_MODSEQ;
        for (MessageRecord r : records) {
            max = Math.max(max, r.modSeq());
        }
        return max;
    }

    @Override
    public CompletionStage<AppendResult> append(Mailbox mailbox, byte[] content, Flags flags, Instant internalDate) {
        return delegate.append(mailbox, content, flags, internalDate).thenApply(r -> {
            publish(mailbox.id(), r.record().modSeq());
            return r;
        });
    }

    @Override
    public CompletionStage<AppendResult> append(Mailbox mailbox, StoredContent content, byte[] headerPrefix,
                                                Flags flags, Instant internalDate) {
        return delegate.append(mailbox, content, headerPrefix, flags, internalDate).thenApply(r -> {
            publish(mailbox.id(), r.record().modSeq());
            return r;
        });
    }

    @Override
    public CompletionStage<List<AppendResult>> appendAll(Mailbox mailbox, List<MessageToAppend> messages) {
        return delegate.appendAll(mailbox, messages).thenApply(results -> {
            if (!results.isEmpty()) {
                publish(mailbox.id(), highest(results.stream().map(AppendResult::record).toList()));
            }
            return results;
        });
    }

    @Override
    public CompletionStage<List<MessageRecord>> updateFlags(MailboxId mailbox, Collection<Long> uids,
                                                            FlagUpdate update) {
        return delegate.updateFlags(mailbox, uids, update).thenApply(records -> {
            if (!records.isEmpty()) {
                publish(mailbox, highest(records));
            }
            return records;
        });
    }

    @Override
    public CompletionStage<FlagUpdateResult> updateFlags(MailboxId mailbox, Collection<Long> uids, FlagUpdate update,
                                                         long unchangedSince) {
        return delegate.updateFlags(mailbox, uids, update, unchangedSince).thenApply(result -> {
            if (!result.updated().isEmpty()) {
                publish(mailbox, highest(result.updated()));
            }
            return result;
        });
    }

    @Override
    public CompletionStage<List<Long>> expunge(MailboxId mailbox, Collection<Long> uids) {
        return delegate.expunge(mailbox, uids).thenApply(removed -> {
            if (!removed.isEmpty()) {
                publish(mailbox, MailboxChange.UNKNOWN_MODSEQ);
            }
            return removed;
        });
    }

    @Override
    public CompletionStage<CopyResult> copy(MailboxId source, Collection<Long> uids, Mailbox destination) {
        return delegate.copy(source, uids, destination).thenApply(result -> {
            if (!result.copies().isEmpty()) {
                publish(destination.id(), highest(result.copies().stream().map(CopiedMessage::copy).toList()));
            }
            return result;
        });
    }

    @Override
    public CompletionStage<CopyResult> move(MailboxId source, Collection<Long> uids, Mailbox destination) {
        return delegate.move(source, uids, destination).thenApply(result -> {
            if (!result.copies().isEmpty()) {
                publish(destination.id(), highest(result.copies().stream().map(CopiedMessage::copy).toList()));
                publish(source, MailboxChange.UNKNOWN_MODSEQ);
            }
            return result;
        });
    }

    /** A read: passed through (no event). */
}
