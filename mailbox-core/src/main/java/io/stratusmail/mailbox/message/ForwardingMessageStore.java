package io.stratusmail.mailbox.message;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.mime.MessageSummary;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * A {@link MessageStore} that passes every call unchanged to the store it wraps: the base of decorators (quota
 * enforcement, change hints, test faults), which override only the calls they change. A method added to
 * {@link MessageStore} is forwarded here once, so no decorator silently misses it.
 */
public abstract class ForwardingMessageStore implements MessageStore {

    /** The store every call not overridden goes to. */
    protected final MessageStore delegate;

    /** @param delegate the store that does the work */
    protected ForwardingMessageStore(MessageStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public CompletionStage<StoredContent> storeContent(byte[] content) {
        return delegate.storeContent(content);
    }

    @Override
    public CompletionStage<StoredContent> storeContent(ByteBuffer content) {
        return delegate.storeContent(content);
    }

    @Override
    public CompletionStage<AppendResult> append(Mailbox mailbox, StoredContent content, byte[] headerPrefix,
                                                Flags flags, Instant internalDate) {
        return delegate.append(mailbox, content, headerPrefix, flags, internalDate);
    }

    @Override
    public CompletionStage<Optional<MessageRecord>> findAppended(MailboxId mailbox, UUID contentId) {
        return delegate.findAppended(mailbox, contentId);
    }

    @Override
    public CompletionStage<Optional<byte[]>> content(MailboxId mailbox, long uid, long from, long to) {
        return delegate.content(mailbox, uid, from, to);
    }

    @Override
    public CompletionStage<Map<Long, MessageSummary>> summaries(MailboxId mailbox, Collection<Long> uids) {
        return delegate.summaries(mailbox, uids);
    }

    @Override
    public CompletionStage<AppendResult> append(Mailbox mailbox, byte[] content, Flags flags, Instant internalDate) {
        return delegate.append(mailbox, content, flags, internalDate);
    }

    @Override
    public CompletionStage<MailboxSnapshot> snapshot(Mailbox mailbox) {
        return delegate.snapshot(mailbox);
    }

    @Override
    public CompletionStage<List<MessageRecord>> records(MailboxId mailbox, Collection<Long> uids) {
        return delegate.records(mailbox, uids);
    }

    @Override
    public CompletionStage<Optional<byte[]>> content(MailboxId mailbox, long uid) {
        return delegate.content(mailbox, uid);
    }

    @Override
    public CompletionStage<List<MessageRecord>> updateFlags(MailboxId mailbox, Collection<Long> uids,
                                                            FlagUpdate update) {
        return delegate.updateFlags(mailbox, uids, update);
    }

    @Override
    public CompletionStage<List<Long>> expunge(MailboxId mailbox, Collection<Long> uids) {
        return delegate.expunge(mailbox, uids);
    }

    @Override
    public CompletionStage<MailboxCounters> counters(MailboxId mailbox) {
        return delegate.counters(mailbox);
    }

    @Override
    public CompletionStage<List<AppendResult>> appendAll(Mailbox mailbox, List<MessageToAppend> messages) {
        return delegate.appendAll(mailbox, messages);
    }

    @Override
    public CompletionStage<CopyResult> copy(MailboxId source, Collection<Long> uids, Mailbox destination) {
        return delegate.copy(source, uids, destination);
    }

    @Override
    public CompletionStage<CopyResult> move(MailboxId source, Collection<Long> uids, Mailbox destination) {
        return delegate.move(source, uids, destination);
    }

    @Override
    public CompletionStage<FlagUpdateResult> updateFlags(MailboxId mailbox, Collection<Long> uids, FlagUpdate update,
                                                         long unchangedSince) {
        return delegate.updateFlags(mailbox, uids, update, unchangedSince);
    }

    @Override
    public CompletionStage<MailboxChanges> changesSince(MailboxId mailbox, long modSeq) {
        return delegate.changesSince(mailbox, modSeq);
    }

    @Override
    public CompletionStage<RecentRange> claimRecent(MailboxId mailbox) {
        return delegate.claimRecent(mailbox);
    }

    @Override
    public CompletionStage<Long> unclaimedRecent(MailboxId mailbox) {
        return delegate.unclaimedRecent(mailbox);
    }
}
