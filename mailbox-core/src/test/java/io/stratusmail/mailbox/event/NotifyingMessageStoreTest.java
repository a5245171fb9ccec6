package io.stratusmail.mailbox.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.AppendResult;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.message.MessageToAppend;
import io.stratusmail.mailbox.message.StoredContent;
import io.stratusmail.mailbox.testing.InMemoryMailStore;
import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The decorator publishes one hint per committed change, with the resulting MODSEQ, and none on failure. */
class NotifyingMessageStoreTest {

    private static final byte[] MESSAGE = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    private final InMemoryMailStore memory = new InMemoryMailStore();
    private final MailboxEvents events = new MailboxEvents();
    private final List<MailboxChange> published = new ArrayList<>();
    private final MessageStore store = new NotifyingMessageStore(memory, events);
    private final Username user = Username.of("n" + UUID.randomUUID().toString().substring(0, 8) + "@example.org");
    private final Mailbox inbox = join(memory.create(user, MailboxName.INBOX));
    private final Mailbox archive = join(memory.create(user, MailboxName.forCreate("Archive")));

    NotifyingMessageStoreTest() {
        events.forwardTo(published::add);
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static Throwable failure(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("expected a failure");
    }

    private AppendResult append(Mailbox box) {
        return join(store.append(box, MESSAGE, Flags.EMPTY, Instant.now()));
    }

    @Test
    void appendsPublishTheirModSeq() {
        AppendResult a = append(inbox);
        StoredContent content = join(store.storeContent(MESSAGE));
        AppendResult b = join(store.append(inbox, content, "X-Trace: 1\r\n".getBytes(StandardCharsets.US_ASCII),
                Flags.EMPTY, Instant.now()));
        List<AppendResult> all = join(store.appendAll(inbox, List.of(
                new MessageToAppend(MESSAGE, Flags.EMPTY, Instant.now()),
                new MessageToAppend(MESSAGE, Flags.of(Flags.SEEN), Instant.now()))));

        assertThat(published).as("storeContent alone is invisible and publishes nothing").containsExactly(
                new MailboxChange(inbox.id(), a.record().modSeq()),
                new MailboxChange(inbox.id(), b.record().modSeq()),
                new MailboxChange(inbox.id(), all.get(1).record().modSeq()));
    }

    @Test
    void flagUpdatesPublishTheHighestModSeqOfTheUpdatedMessages() {
        long uid1 = append(inbox).record().uid();
        long uid2 = append(inbox).record().uid();
        published.clear();

        var records = join(store.updateFlags(inbox.id(), List.of(uid1, uid2),
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN))));
        var conditional = join(store.updateFlags(inbox.id(), List.of(uid1),
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.FLAGGED)), Long.MAX_VALUE / 2));
        join(store.updateFlags(inbox.id(), List.of(999L), new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN))));

        assertThat(published).as("an update of no existing message publishes nothing").containsExactly(
                new MailboxChange(inbox.id(), Collections.max(records.stream().map(r -> r.modSeq()).toList())),
                new MailboxChange(inbox.id(), conditional.updated().get(0).modSeq()));
    }

    @Test
    void expungePublishesOnlyWhenSomethingWasRemoved() {
        long keep = append(inbox).record().uid();
        long gone = append(inbox).record().uid();
        join(store.updateFlags(inbox.id(), List.of(gone), new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.DELETED))));
        published.clear();

        assertThat(join(store.expunge(inbox.id(), List.of(keep)))).isEmpty();
        assertThat(published).as("nothing removed, nothing published").isEmpty();
        assertThat(join(store.expunge(inbox.id(), List.of(keep, gone)))).containsExactly(gone);
        assertThat(published).containsExactly(new MailboxChange(inbox.id(), MailboxChange.UNKNOWN_MODSEQ));
    }

    @Test
    void copyPublishesTheDestinationAndMovePublishesBoth() {
        long uid = append(inbox).record().uid();
        published.clear();

        var copy = join(store.copy(inbox.id(), List.of(uid), archive));
        assertThat(published).containsExactly(new MailboxChange(archive.id(), copy.copies().get(0).copy().modSeq()));
        published.clear();

        var move = join(store.move(inbox.id(), List.of(uid), archive));
        assertThat(published).containsExactly(
                new MailboxChange(archive.id(), move.copies().get(0).copy().modSeq()),
                new MailboxChange(inbox.id(), MailboxChange.UNKNOWN_MODSEQ));
        published.clear();

        join(store.copy(inbox.id(), List.of(uid), archive));
        join(store.move(inbox.id(), List.of(uid), archive));
        assertThat(published).as("copy and move of a UID that no longer exists change nothing").isEmpty();
    }

    @Test
    void failedCallsPublishNothing() {
        StoredContent unknown = new StoredContent(UUID.randomUUID(), MESSAGE.length);
        assertThat(failure(store.append(inbox, unknown, new byte[0], Flags.EMPTY, Instant.now())))
                .isInstanceOf(IllegalArgumentException.class);
        List<MessageToAppend> tooMany = Collections.nCopies(MessageStore.MAX_MESSAGES_PER_CALL + 1,
                new MessageToAppend(MESSAGE, Flags.EMPTY, Instant.now()));
        assertThat(failure(store.appendAll(inbox, tooMany))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(store.updateFlags(inbox.id(), List.of(1L),
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN)), -1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(published).isEmpty();
    }

    @Test
    void readsPassThroughWithoutPublishing() {
        AppendResult a = append(inbox);
        published.clear();
        assertThat(join(store.content(inbox.id(), a.record().uid()))).hasValue(MESSAGE);
        assertThat(join(store.snapshot(inbox)).highestModSeq()).isEqualTo(a.record().modSeq());
        assertThat(join(store.counters(inbox.id())).highestModSeq()).isEqualTo(a.record().modSeq());
        join(store.changesSince(inbox.id(), 0));
        join(store.claimRecent(inbox.id()));
        assertThat(published).isEmpty();
    }
}
