package io.stratusmail.mailbox.quota;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.message.AppendResult;
import io.stratusmail.mailbox.message.CopyResult;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.ForwardingMessageStore;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.message.MessageToAppend;
import io.stratusmail.mailbox.message.StoredContent;
import io.stratusmail.mailbox.user.Username;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A {@link MessageStore} that enforces the quotas of RFC 9208 on every call that adds messages to a user, and
 * passes everything else to the store it wraps.
 *
 * <p>Checked, against the destination mailbox's owner, before anything is written: {@code append} (1 message,
 * its size; with a stored content, the header prefix plus the content), {@code appendAll} (all messages, the
 * sum of their sizes), {@code copy} (the existing source messages, the sum of their RFC822.SIZE, read from their
 * records), {@code move} between mailboxes of different users (as copy); a move within one user's mailboxes
 * changes no usage and is not checked. Beyond a limit the stage fails with {@link OverQuotaException} and the
 * wrapped store is not called. Users without any limit cost one read of their settings per call.
 *
 * <p>Known race, by design (no second counter that could drift): the check and the write are separate steps,
 * so concurrent appends of one user (several sessions or nodes) may each pass the check and together go beyond
 * a limit by at most the messages in flight. Usage stays exact, and the next write beyond the limit is refused.
 * {@link #storeContent} stores unattached octets and is not checked (no user owns them until an append).
 */
public final class QuotaEnforcingMessageStore extends ForwardingMessageStore {

    private final Quotas quotas;

    /**
     * @param delegate the store that does the work
     * @param quotas   limits and usage; its own store should be {@code delegate} (it only reads counters)
     */
    public QuotaEnforcingMessageStore(MessageStore delegate, Quotas quotas) {
        super(delegate);
        this.quotas = Objects.requireNonNull(quotas, "quotas");
    }

    @Override
    public CompletionStage<AppendResult> append(Mailbox mailbox, byte[] content, Flags flags, Instant internalDate) {
        return checked(mailbox.owner(), 1, content.length,
                () -> delegate.append(mailbox, content, flags, internalDate));
    }

    @Override
    public CompletionStage<AppendResult> append(Mailbox mailbox, StoredContent content, byte[] headerPrefix,
                                                Flags flags, Instant internalDate) {
        long size = content.size() + (headerPrefix == null ? 0 : headerPrefix.length);
        return checked(mailbox.owner(), 1, size,
                () -> delegate.append(mailbox, content, headerPrefix, flags, internalDate));
    }

    @Override
    public CompletionStage<List<AppendResult>> appendAll(Mailbox mailbox, List<MessageToAppend> messages) {
        long octets = 0;
        for (MessageToAppend m : messages) {
            octets += m.content().length;
        }
        return checked(mailbox.owner(), messages.size(), octets, () -> delegate.appendAll(mailbox, messages));
    }

    @Override
    public CompletionStage<CopyResult> copy(MailboxId source, Collection<Long> uids, Mailbox destination) {
        Username owner = destination.owner();
        return quotas.limits(owner).thenCompose(limits -> limits.unlimited()
                ? delegate.copy(source, uids, destination)
                : checkRecords(owner, limits, source, uids)
                        .thenCompose(v -> delegate.copy(source, uids, destination)));
    }

    @Override
    public CompletionStage<CopyResult> move(MailboxId source, Collection<Long> uids, Mailbox destination) {
        Username owner = destination.owner();
        return quotas.limits(owner).thenCompose(limits -> {
            if (limits.unlimited()) {
                return delegate.move(source, uids, destination);
            }
            // Within one user's mailboxes usage does not change: no check.
            return quotas.mailboxes().findById(owner, source).thenCompose(sameOwner -> sameOwner.isPresent()
                    ? delegate.move(source, uids, destination)
                    : checkRecords(owner, limits, source, uids)
                            .thenCompose(v -> delegate.move(source, uids, destination)));
        });
    }

    private CompletionStage<Void> checkRecords(Username owner, QuotaLimits limits, MailboxId source,
                                               Collection<Long> uids) {
        return delegate.records(source, uids).thenCompose(records -> {
            long octets = 0;
            for (MessageRecord r : records) {
                octets += r.size();
            }
            return quotas.check(owner, limits, records.size(), octets);
        });
    }

    private <T> CompletionStage<T> checked(Username owner, long messages, long octets,
                                           Supplier<CompletionStage<T>> write) {
        CompletionStage<Void> check;
        try {
            check = quotas.check(owner, messages, octets);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return check.thenCompose(v -> write.get());
    }

    /** A read: passed through (no quota involved). */
}
