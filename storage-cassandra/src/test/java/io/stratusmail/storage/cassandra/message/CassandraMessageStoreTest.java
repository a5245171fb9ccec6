package io.stratusmail.storage.cassandra.message;

import static io.stratusmail.storage.cassandra.CassandraFixture.failure;
import static io.stratusmail.storage.cassandra.CassandraFixture.join;
import static io.stratusmail.storage.cassandra.CassandraFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.mailbox.message.AppendResult;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MailboxSnapshot;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.blob.BlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import io.stratusmail.mailbox.message.MessageToAppend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CassandraMessageStoreTest {

    private static final CassandraStoreConfig CONFIG = CassandraFixture.config("it_messages")
            .withMaxMessageSize(8L * 1024 * 1024);
    private static final Instant DATE = Instant.parse("2024-03-01T10:15:30.123456Z");
    private static CqlSession session;
    private static MailboxRepository mailboxes;
    private static MessageStore store;

    @BeforeAll
    static void start() {
        session = CassandraFixture.openSession();
        CassandraStore s = CassandraFixture.store(session, CONFIG);
        mailboxes = s.mailboxes();
        store = s.messages();
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    private static Mailbox newMailbox() {
        return join(mailboxes.create(new Username("msg-" + unique() + "@example.org"), MailboxName.INBOX));
    }

    private static byte[] mail(String subject) {
        return ("From: a@example.org\r\nSubject: " + subject + "\r\n\r\nbody of " + subject + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static AppendResult append(Mailbox box, byte[] content, Flags flags) {
        return join(store.append(box, content, flags, DATE));
    }

    @Test
    void aScanSplitIntoParallelUidSlicesReturnsEveryMessageOnceInUidOrder() {
        Mailbox box = newMailbox();
        List<MessageToAppend> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            batch.add(new MessageToAppend(mail("slice " + i), i % 3 == 0 ? Flags.of(Flags.SEEN) : Flags.EMPTY, DATE));
        }
        join(store.appendAll(box, batch));
        join(store.expunge(box.id(), List.of()));
        join(store.updateFlags(box.id(), LongStream.rangeClosed(1, 250).filter(u -> u % 7 == 0).boxed().toList(),
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.DELETED))));
        join(store.expunge(box.id(), LongStream.rangeClosed(1, 250).boxed().toList()));
        MailboxSnapshot whole = join(store.snapshot(box));
        MessagesTable table = join(MessagesTable.prepare(session, CONFIG));

        for (long minUidsPerSlice : new long[] {1, 7, 60, 251, 10_000}) {
            List<MessageRecord> sliced = join(table.scan(box.id(), whole.uidNext(), minUidsPerSlice));
            assertThat(sliced).as("slices of at least %d UIDs", minUidsPerSlice).isEqualTo(whole.messages());
        }
        assertThat(whole.messages()).hasSize(250 - 35).extracting(MessageRecord::uid).isSorted();
    }

    @Test
    void newMailboxIsEmptyWithUidNextOneAndHighestModSeqOne() {
        Mailbox box = newMailbox();

        MailboxSnapshot snapshot = join(store.snapshot(box));

        // RFC 7162: HIGHESTMODSEQ is a positive mod-sequence even before the first change.
        assertThat(snapshot).isEqualTo(new MailboxSnapshot(box.uidValidity(), 1, MessageStore.NEW_MAILBOX_MODSEQ,
                List.of()));
    }

    @Test
    void appendAllocatesAscendingUidsAndModSeqsAndSnapshotShowsThem() {
        Mailbox box = newMailbox();

        AppendResult first = append(box, mail("one"), Flags.of(Flags.SEEN));
        AppendResult second = append(box, mail("two"), Flags.EMPTY);

        assertThat(first.uidValidity()).isEqualTo(box.uidValidity());
        // The mailbox's creation is MODSEQ 1 (RFC 7162 needs a positive HIGHESTMODSEQ before any change).
        assertThat(first.record()).isEqualTo(new MessageRecord(1, 2, Flags.of(Flags.SEEN), mail("one").length,
                Instant.parse("2024-03-01T10:15:30.123Z")));
        assertThat(second.record().uid()).isEqualTo(2);
        assertThat(second.record().modSeq()).isEqualTo(3);
        MailboxSnapshot snapshot = join(store.snapshot(box));
        assertThat(snapshot.uidNext()).isEqualTo(3);
        assertThat(snapshot.highestModSeq()).isEqualTo(3);
        assertThat(snapshot.messages()).containsExactly(first.record(), second.record());
    }

    @Test
    void contentIsReturnedByteForByteIncludingEightBitOctets() {
        Mailbox box = newMailbox();
        byte[] content = new byte[256 * 3];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }

        long uid = append(box, content, Flags.EMPTY).record().uid();

        assertThat(join(store.content(box.id(), uid))).hasValueSatisfying(c -> assertThat(c).isEqualTo(content));
    }

    @Test
    void fiveMebibyteMessageSpansChunksAndComesBackExactly() {
        Mailbox box = newMailbox();
        byte[] content = new byte[5 * 1024 * 1024 + 17];
        new Random(42).nextBytes(content);
        assertThat(content.length).isGreaterThan(5 * BlobStore.CHUNK_SIZE);

        AppendResult stored = append(box, content, Flags.EMPTY);

        assertThat(stored.record().size()).isEqualTo(content.length);
        assertThat(join(store.content(box.id(), stored.record().uid())))
                .hasValueSatisfying(c -> assertThat(c).isEqualTo(content));
    }

    @Test
    void emptyMessageIsStoredAndReadBack() {
        Mailbox box = newMailbox();

        AppendResult stored = append(box, new byte[0], Flags.EMPTY);

        assertThat(stored.record().size()).isZero();
        assertThat(join(store.content(box.id(), stored.record().uid())))
                .hasValueSatisfying(c -> assertThat(c).isEmpty());
    }

    @Test
    void messageAboveTheSizeLimitIsRefusedAndNothingBecomesVisible() {
        Mailbox box = newMailbox();

        Throwable error = failure(store.append(box, new byte[(int) CONFIG.maxMessageSize() + 1], Flags.EMPTY, DATE));

        assertThat(error).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
        assertThat(join(store.snapshot(box)).messages()).isEmpty();
    }

    @Test
    void commitThatCannotReachTheConsistencyFailsAsUnavailableAndLeavesNoMessage() {
        Mailbox box = newMailbox();
        // Factor-1 keyspace, consistency TWO: Cassandra answers Unavailable, as with replicas down.
        CassandraStore strict = CassandraFixture.store(session,
                CONFIG.withConsistency(DefaultConsistencyLevel.TWO, DefaultConsistencyLevel.SERIAL));

        Throwable error = failure(strict.messages().append(box, mail("lost"), Flags.EMPTY, DATE));

        assertThat(error).isInstanceOf(StorageUnavailableException.class);
        MailboxSnapshot snapshot = join(store.snapshot(box));
        assertThat(snapshot.messages()).isEmpty();
        assertThat(snapshot.uidNext()).isEqualTo(1);
        assertThat(append(box, mail("next"), Flags.EMPTY).record().uid()).isEqualTo(1);
    }

    @Test
    void appendsBeyondTheQueueLimitAreRefusedAsUnavailableAndTheOthersAreStoredWithoutGaps() {
        Mailbox box = newMailbox();
        MessageStore narrow = CassandraFixture.store(session, CONFIG.withWriteLimits(64, 1, 1)).messages();
        List<java.util.concurrent.CompletableFuture<AppendResult>> appends = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            appends.add(narrow.append(box, mail("burst" + i), Flags.EMPTY, DATE).toCompletableFuture());
        }

        List<Long> stored = new ArrayList<>();
        int refused = 0;
        for (var a : appends) {
            try {
                stored.add(join(a).record().uid());
            } catch (StorageUnavailableException e) {
                assertThat(e).hasMessageContaining("too many pending writes");
                refused++;
            }
        }
        assertThat(refused).isPositive();
        assertThat(stored).doesNotHaveDuplicates().hasSize(150 - refused);
        assertThat(join(store.snapshot(box)).messages()).extracting(MessageRecord::uid)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, stored.size()).boxed().toList());
    }

    @Test
    void writesToAnUnknownMailboxFindNothing() {
        io.stratusmail.mailbox.MailboxId unknown = io.stratusmail.mailbox.MailboxId.random();

        assertThat(join(store.records(unknown, List.of(1L)))).isEmpty();
        assertThat(join(store.updateFlags(unknown, List.of(1L),
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN))))).isEmpty();
        assertThat(join(store.expunge(unknown, List.of(1L)))).isEmpty();
    }

    @Test
    void recordsReturnsExistingMessagesAscendingAndSkipsUnknownUids() {
        Mailbox box = newMailbox();
        for (int i = 0; i < 5; i++) {
            append(box, mail("m" + i), Flags.EMPTY);
        }

        List<MessageRecord> records = join(store.records(box.id(), List.of(4L, 2L, 99L, 2L, 0L, -3L)));

        assertThat(records).extracting(MessageRecord::uid).containsExactly(2L, 4L);
    }

    @Test
    void recordsOfMoreUidsThanOneSliceAreAllReturned() {
        Mailbox box = newMailbox();
        for (int i = 0; i < 130; i++) {
            append(box, mail("m" + i), Flags.EMPTY);
        }

        List<MessageRecord> records = join(store.records(box.id(), LongStream.rangeClosed(1, 140).boxed().toList()));

        assertThat(records).extracting(MessageRecord::uid).containsExactlyElementsOf(
                LongStream.rangeClosed(1, 130).boxed().toList());
    }

    @Test
    void contentOfUnknownUidIsEmpty() {
        Mailbox box = newMailbox();

        assertThat(join(store.content(box.id(), 7))).isEmpty();
    }

    @Test
    void flagUpdatesReplaceAddAndRemoveWithANewModSeqPerChangedMessage() {
        Mailbox box = newMailbox();
        append(box, mail("a"), Flags.of(Flags.SEEN));
        append(box, mail("b"), Flags.EMPTY);
        append(box, mail("c"), Flags.of("$Label1"));

        List<MessageRecord> added = join(store.updateFlags(box.id(), List.of(1L, 2L, 3L),
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN))));
        assertThat(added).extracting(MessageRecord::uid, MessageRecord::modSeq, MessageRecord::flags).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, 2L, Flags.of(Flags.SEEN)),
                org.assertj.core.groups.Tuple.tuple(2L, 5L, Flags.of(Flags.SEEN)),
                org.assertj.core.groups.Tuple.tuple(3L, 6L, Flags.of(Flags.SEEN, "$Label1")));

        List<MessageRecord> removed = join(store.updateFlags(box.id(), List.of(3L),
                new FlagUpdate(FlagUpdate.Mode.REMOVE, Flags.of("$label1"))));
        assertThat(removed).singleElement().satisfies(r -> {
            assertThat(r.flags()).isEqualTo(Flags.of(Flags.SEEN));
            assertThat(r.modSeq()).isEqualTo(7);
        });

        List<MessageRecord> replaced = join(store.updateFlags(box.id(), List.of(1L, 2L),
                new FlagUpdate(FlagUpdate.Mode.REPLACE, Flags.of(Flags.FLAGGED, Flags.DRAFT))));
        assertThat(replaced).extracting(MessageRecord::modSeq).containsExactly(8L, 9L);
        assertThat(replaced).allSatisfy(r -> assertThat(r.flags()).isEqualTo(Flags.of(Flags.DRAFT, Flags.FLAGGED)));

        MailboxSnapshot snapshot = join(store.snapshot(box));
        assertThat(snapshot.highestModSeq()).isEqualTo(9);
        assertThat(snapshot.messages()).extracting(MessageRecord::modSeq).containsExactly(8L, 9L, 7L);
        assertThat(join(store.records(box.id(), List.of(3L)))).containsExactlyElementsOf(removed);
    }

    @Test
    void flagUpdateThatChangesNothingKeepsModSeqs() {
        Mailbox box = newMailbox();
        append(box, mail("a"), Flags.of(Flags.SEEN));

        List<MessageRecord> result = join(store.updateFlags(box.id(), List.of(1L, 5L),
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of("\\seen"))));

        assertThat(result).singleElement().satisfies(r -> assertThat(r.modSeq()).isEqualTo(2));
        assertThat(join(store.snapshot(box)).highestModSeq()).isEqualTo(2);
    }

    @Test
    void flagUpdateOfManyMessagesGivesEachItsOwnModSeq() {
        Mailbox box = newMailbox();
        for (int i = 0; i < 120; i++) {
            append(box, mail("m" + i), Flags.EMPTY);
        }
        Flags many = Flags.of(new ArrayList<>(LongStream.range(0, 40).mapToObj(i -> "keyword" + i).toList()));

        List<MessageRecord> result = join(store.updateFlags(box.id(), LongStream.rangeClosed(1, 120).boxed().toList(),
                new FlagUpdate(FlagUpdate.Mode.ADD, many)));

        assertThat(result).hasSize(120).allSatisfy(r -> assertThat(r.flags()).isEqualTo(many));
        assertThat(result).extracting(MessageRecord::modSeq).doesNotHaveDuplicates()
                .allSatisfy(m -> assertThat(m).isBetween(122L, 241L));
        assertThat(join(store.snapshot(box)).highestModSeq()).isEqualTo(241);
    }

    @Test
    void expungeRemovesOnlyDeletedMessagesAndRaisesHighestModSeq() {
        Mailbox box = newMailbox();
        append(box, mail("keep"), Flags.EMPTY);
        append(box, mail("gone1"), Flags.of(Flags.DELETED));
        append(box, mail("keep2"), Flags.of(Flags.SEEN));
        append(box, mail("gone2"), Flags.of(Flags.DELETED, Flags.SEEN));

        List<Long> expunged = join(store.expunge(box.id(), List.of(1L, 2L, 3L, 4L, 9L)));

        assertThat(expunged).containsExactly(2L, 4L);
        MailboxSnapshot snapshot = join(store.snapshot(box));
        assertThat(snapshot.messages()).extracting(MessageRecord::uid).containsExactly(1L, 3L);
        assertThat(snapshot.highestModSeq()).isEqualTo(7);
        assertThat(snapshot.uidNext()).isEqualTo(5);
        assertThat(join(store.content(box.id(), 2))).isEmpty();
        assertThat(join(store.expunge(box.id(), List.of(1L, 3L)))).isEmpty();
        assertThat(join(store.snapshot(box)).highestModSeq()).isEqualTo(7);
    }

    @Test
    void expungedUidIsNeverReused() {
        Mailbox box = newMailbox();
        append(box, mail("a"), Flags.EMPTY);
        append(box, mail("b"), Flags.of(Flags.DELETED));
        join(store.expunge(box.id(), List.of(2L)));

        AppendResult next = append(box, mail("c"), Flags.EMPTY);

        assertThat(next.record().uid()).isEqualTo(3);
        assertThat(next.record().modSeq()).isEqualTo(5);
    }

    @Test
    void modSeqStrictlyIncreasesAcrossAppendsFlagChangesAndExpunges() {
        Mailbox box = newMailbox();
        List<Long> highest = new ArrayList<>();
        highest.add(join(store.snapshot(box)).highestModSeq());
        append(box, mail("1"), Flags.EMPTY);
        highest.add(join(store.snapshot(box)).highestModSeq());
        join(store.updateFlags(box.id(), List.of(1L), new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.DELETED))));
        highest.add(join(store.snapshot(box)).highestModSeq());
        append(box, mail("2"), Flags.EMPTY);
        highest.add(join(store.snapshot(box)).highestModSeq());
        join(store.expunge(box.id(), List.of(1L)));
        highest.add(join(store.snapshot(box)).highestModSeq());
        join(store.updateFlags(box.id(), List.of(2L), new FlagUpdate(FlagUpdate.Mode.REPLACE, Flags.of("x"))));
        highest.add(join(store.snapshot(box)).highestModSeq());

        assertThat(highest).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void storeFromAnotherNodeSeesCommittedMessagesAndContinuesTheUidSequence() {
        Mailbox box = newMailbox();
        append(box, mail("a"), Flags.EMPTY);
        try (CqlSession other = CassandraFixture.openSession()) {
            MessageStore otherNode = CassandraFixture.store(other, CONFIG).messages();

            assertThat(join(otherNode.snapshot(box)).messages()).hasSize(1);
            assertThat(join(otherNode.append(box, mail("b"), Flags.EMPTY, DATE)).record().uid()).isEqualTo(2);
        }
        // This node's guess of UIDNEXT is stale now; it must still allocate 3, not 2.
        assertThat(append(box, mail("c"), Flags.EMPTY).record().uid()).isEqualTo(3);
        assertThat(join(store.snapshot(box)).messages()).extracting(MessageRecord::uid).containsExactly(1L, 2L, 3L);
    }
}
