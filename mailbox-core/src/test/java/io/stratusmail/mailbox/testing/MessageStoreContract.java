package io.stratusmail.mailbox.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.message.AppendResult;
import io.stratusmail.mailbox.message.CopiedMessage;
import io.stratusmail.mailbox.message.CopyResult;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.FlagUpdateResult;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MailboxChanges;
import io.stratusmail.mailbox.message.MailboxCounters;
import io.stratusmail.mailbox.message.MailboxSnapshot;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.message.MessageToAppend;
import io.stratusmail.mailbox.message.RecentRange;
import io.stratusmail.mailbox.message.StoredContent;
import io.stratusmail.mailbox.mime.MessageSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MessageStore} shares for counters, batched appends, COPY/MOVE, conditional
 * STORE, the change log and {@code \Recent}: run against the in-memory fake here and against Cassandra in
 * storage-cassandra (shipped in the test-jar).
 */
public abstract class MessageStoreContract {

    protected static final Instant DATE = Instant.parse("2024-03-01T10:15:30.123Z");

    /** The store under test. */
    protected abstract MessageStore store();

    /** A new, empty mailbox of a new user. */
    protected abstract Mailbox newMailbox();

    protected static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static byte[] mail(String subject) {
        return ("From: a@example.org\r\nSubject: " + subject + "\r\n\r\nbody of " + subject + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private AppendResult append(Mailbox box, String subject, String... flags) {
        return join(store().append(box, mail(subject), Flags.of(flags), DATE));
    }

    private static FlagUpdate add(String... flags) {
        return new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(flags));
    }

    /** The counters recomputed from a snapshot of the messages. */
    protected MailboxCounters recount(Mailbox box) {
        MailboxSnapshot s = join(store().snapshot(box));
        long unseen = s.messages().stream().filter(m -> !m.flags().contains(Flags.SEEN)).count();
        long size = s.messages().stream().mapToLong(MessageRecord::size).sum();
        return new MailboxCounters(s.messages().size(), unseen, size, s.uidNext(), s.highestModSeq());
    }

    protected void assertCountersExact(Mailbox box) {
        assertThat(join(store().counters(box.id()))).isEqualTo(recount(box));
    }

    @Test
    void newMailboxHasEmptyCountersNoChangesAndNothingRecent() {
        Mailbox box = newMailbox();

        assertThat(join(store().counters(box.id()))).isEqualTo(MailboxCounters.EMPTY);
        assertThat(join(store().changesSince(box.id(), 0)))
                .isEqualTo(new MailboxChanges(1, MessageStore.NEW_MAILBOX_MODSEQ, List.of(), List.of(), true));
        assertThat(join(store().claimRecent(box.id()))).isEqualTo(new RecentRange(1, 1));
    }

    @Test
    void aNewMailboxHasAPositiveHighestModSeqBelowItsFirstChange() {
        Mailbox box = newMailbox();
        // RFC 7162 section 3.1.2.1: SELECT of a never-changed mailbox still needs HIGHESTMODSEQ n with n >= 1.
        long created = join(store().snapshot(box)).highestModSeq();
        assertThat(created).isEqualTo(MessageStore.NEW_MAILBOX_MODSEQ)
                .isEqualTo(join(store().counters(box.id())).highestModSeq());

        AppendResult first = append(box, "first");

        assertThat(first.record().modSeq()).isGreaterThan(created);
        MailboxChanges changes = join(store().changesSince(box.id(), created));
        assertThat(changes.changed()).extracting(MessageRecord::uid).containsExactly(1L);
        assertThat(changes.vanishedComplete()).isTrue();
        assertThat(changes.highestModSeq()).isEqualTo(first.record().modSeq())
                .isEqualTo(join(store().snapshot(box)).highestModSeq());
    }

    @Test
    void countersFollowEveryKindOfChange() {
        Mailbox box = newMailbox();
        long a = append(box, "a", Flags.SEEN).record().size();
        long b = append(box, "bb").record().size();
        long c = append(box, "ccc", "$Label").record().size();
        assertThat(join(store().counters(box.id()))).isEqualTo(new MailboxCounters(3, 2, a + b + c, 4, 4));

        join(store().updateFlags(box.id(), List.of(2L, 3L), add(Flags.SEEN)));
        assertThat(join(store().counters(box.id()))).isEqualTo(new MailboxCounters(3, 0, a + b + c, 4, 6));

        join(store().updateFlags(box.id(), List.of(1L), new FlagUpdate(FlagUpdate.Mode.REPLACE, Flags.of("$x"))));
        assertThat(join(store().counters(box.id()))).isEqualTo(new MailboxCounters(3, 1, a + b + c, 4, 7));

        join(store().updateFlags(box.id(), List.of(1L, 2L), add(Flags.DELETED)));
        assertThat(join(store().expunge(box.id(), List.of(1L, 2L)))).containsExactly(1L, 2L);
        assertThat(join(store().counters(box.id()))).isEqualTo(new MailboxCounters(1, 0, c, 4, 11));

        Mailbox other = newMailbox();
        join(store().copy(box.id(), List.of(3L), other));
        assertThat(join(store().counters(other.id()))).isEqualTo(new MailboxCounters(1, 0, c, 2, 2));
        join(store().move(other.id(), List.of(1L), box));
        assertThat(join(store().counters(other.id()))).isEqualTo(new MailboxCounters(0, 0, 0, 2, 3));
        assertThat(join(store().counters(box.id()))).isEqualTo(new MailboxCounters(2, 0, 2 * c, 5, 12));
        assertCountersExact(box);
        assertCountersExact(other);
    }

    @Test
    void appendAllAllocatesConsecutiveUidsInListOrderOverSeveralRounds() {
        Mailbox box = newMailbox();
        append(box, "first");
        List<MessageToAppend> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            batch.add(new MessageToAppend(mail("bulk" + i), i % 2 == 0 ? Flags.of(Flags.SEEN) : Flags.EMPTY, DATE));
        }

        List<AppendResult> results = join(store().appendAll(box, batch));

        assertThat(results).hasSize(250).allSatisfy(r -> assertThat(r.uidValidity()).isEqualTo(box.uidValidity()));
        assertThat(results).extracting(r -> r.record().uid())
                .containsExactlyElementsOf(LongStream.rangeClosed(2, 251).boxed().toList());
        assertThat(results).extracting(r -> r.record().modSeq())
                .containsExactlyElementsOf(LongStream.rangeClosed(3, 252).boxed().toList());
        assertThat(results.get(1).record().flags()).isEqualTo(Flags.EMPTY);
        assertThat(results.get(1).record().internalDate()).isEqualTo(DATE);
        for (int i : new int[] {0, 99, 100, 249}) {
            assertThat(join(store().content(box.id(), results.get(i).record().uid()))).hasValue(mail("bulk" + i));
        }
        assertThat(join(store().counters(box.id())).unseen()).isEqualTo(1 + 125);
        assertCountersExact(box);
    }

    @Test
    void appendAllOfNothingStoresNothingAndTooManyIsRefusedBeforeAnythingIsStored() {
        Mailbox box = newMailbox();

        assertThat(join(store().appendAll(box, List.of()))).isEmpty();
        List<MessageToAppend> tooMany = Collections.nCopies(MessageStore.MAX_MESSAGES_PER_CALL + 1,
                new MessageToAppend(mail("x"), Flags.EMPTY, DATE));
        assertThatThrownBy(() -> join(store().appendAll(box, tooMany))).isInstanceOf(IllegalArgumentException.class);
        assertThat(join(store().counters(box.id()))).isEqualTo(MailboxCounters.EMPTY);
    }

    @Test
    void copyKeepsFlagsDateAndContentAndReportsCopyUidPairsInSourceOrder() {
        Mailbox source = newMailbox();
        Mailbox destination = newMailbox();
        append(destination, "already there");
        for (int i = 1; i <= 5; i++) {
            append(source, "m" + i, i % 2 == 0 ? Flags.SEEN : "$K" + i);
        }
        MailboxSnapshot before = join(store().snapshot(source));

        CopyResult result = join(store().copy(source.id(), List.of(5L, 2L, 9L, 4L, 2L), destination));

        // RFC 4315: COPYUID <uidvalidity> 2,4:5 2:4
        assertThat(result.uidValidity()).isEqualTo(destination.uidValidity());
        assertThat(result.sourceUids()).containsExactly(2L, 4L, 5L);
        assertThat(result.destinationUids()).containsExactly(2L, 3L, 4L);
        for (CopiedMessage c : result.copies()) {
            MessageRecord original = before.messages().get((int) c.sourceUid() - 1);
            assertThat(c.copy().flags()).isEqualTo(original.flags());
            assertThat(c.copy().size()).isEqualTo(original.size());
            assertThat(c.copy().internalDate()).isEqualTo(original.internalDate());
            assertThat(join(store().content(destination.id(), c.copy().uid())))
                    .hasValue(mail("m" + c.sourceUid()));
        }
        assertThat(join(store().snapshot(source))).isEqualTo(before);
        assertThat(join(store().snapshot(destination)).messages()).extracting(MessageRecord::uid)
                .containsExactly(1L, 2L, 3L, 4L);
        assertCountersExact(destination);
    }

    @Test
    void copyOfUnknownUidsCopiesNothing() {
        Mailbox source = newMailbox();
        Mailbox destination = newMailbox();
        append(source, "only");

        CopyResult result = join(store().copy(source.id(), List.of(7L, 8L), destination));

        assertThat(result.copies()).isEmpty();
        assertThat(join(store().counters(destination.id()))).isEqualTo(MailboxCounters.EMPTY);
    }

    @Test
    void moveLeavesTheSourceWithoutTheMessagesAndTheDestinationWithThem() {
        Mailbox source = newMailbox();
        Mailbox destination = newMailbox();
        for (int i = 1; i <= 4; i++) {
            append(source, "m" + i, i == 3 ? Flags.SEEN : "$K");
        }
        long sourceModSeq = join(store().counters(source.id())).highestModSeq();

        CopyResult moved = join(store().move(source.id(), List.of(1L, 3L, 12L), destination));

        assertThat(moved.uidValidity()).isEqualTo(destination.uidValidity());
        assertThat(moved.sourceUids()).containsExactly(1L, 3L);
        assertThat(moved.destinationUids()).containsExactly(1L, 2L);
        assertThat(moved.copies().get(1).copy().flags()).isEqualTo(Flags.of(Flags.SEEN));
        assertThat(join(store().snapshot(source)).messages()).extracting(MessageRecord::uid).containsExactly(2L, 4L);
        assertThat(join(store().content(source.id(), 1))).isEmpty();
        assertThat(join(store().content(destination.id(), 1))).hasValue(mail("m1"));
        assertThat(join(store().content(destination.id(), 2))).hasValue(mail("m3"));
        // Each removal from the source is a change (RFC 7162: expunge increases HIGHESTMODSEQ).
        MailboxChanges sourceChanges = join(store().changesSince(source.id(), sourceModSeq));
        assertThat(sourceChanges.highestModSeq()).isEqualTo(sourceModSeq + 2);
        assertThat(sourceChanges.vanished()).containsExactly(1L, 3L);
        assertThat(sourceChanges.changed()).isEmpty();
        assertCountersExact(source);
        assertCountersExact(destination);
    }

    @Test
    void movingAnAlreadyMovedUidMovesNothing() {
        Mailbox source = newMailbox();
        Mailbox destination = newMailbox();
        append(source, "m1");
        join(store().move(source.id(), List.of(1L), destination));

        CopyResult again = join(store().move(source.id(), List.of(1L), destination));

        assertThat(again.copies()).isEmpty();
        assertThat(join(store().counters(destination.id())).messages()).isEqualTo(1);
    }

    @Test
    void conditionalStoreFollowsRfc7162Examples() {
        Mailbox box = newMailbox();
        for (int i = 1; i <= 9; i++) {
            append(box, "m" + i);
        }
        long unchangedSince = join(store().counters(box.id())).highestModSeq();
        // Another client changes messages 7 and 9 after this client last synchronised.
        join(store().updateFlags(box.id(), List.of(7L, 9L), add("$Other")));

        // C: d105 UID STORE 7,5,9 (UNCHANGEDSINCE n) +FLAGS.SILENT (\Deleted)
        // S: * 5 FETCH (UID 5 MODSEQ (n+3))   S: d105 OK [MODIFIED 7,9] Conditional STORE failed
        FlagUpdateResult result = join(store().updateFlags(box.id(), List.of(7L, 5L, 9L), add(Flags.DELETED),
                unchangedSince));

        assertThat(result.modified()).containsExactly(7L, 9L);
        assertThat(result.updated()).extracting(MessageRecord::uid, MessageRecord::modSeq, MessageRecord::flags)
                .containsExactly(tuple(5L, unchangedSince + 3, Flags.of(Flags.DELETED)));
        assertThat(join(store().records(box.id(), List.of(7L, 9L))))
                .allSatisfy(r -> assertThat(r.flags()).isEqualTo(Flags.of("$Other")));

        // Example where all pass: C: a103 UID STORE 6,4,8 (UNCHANGEDSINCE n) +FLAGS.SILENT (\Deleted)
        FlagUpdateResult all = join(store().updateFlags(box.id(), List.of(6L, 4L, 8L), add(Flags.DELETED),
                unchangedSince));
        assertThat(all.modified()).isEmpty();
        assertThat(all.updated()).extracting(MessageRecord::uid).containsExactly(4L, 6L, 8L);
        assertThat(all.updated()).extracting(MessageRecord::modSeq).doesNotHaveDuplicates()
                .allSatisfy(m -> assertThat(m).isGreaterThan(unchangedSince + 3));
        assertCountersExact(box);
    }

    @Test
    void conditionalStoreWithZeroFailsForEveryExistingMessageAndSkipsUnknownUids() {
        Mailbox box = newMailbox();
        append(box, "a");
        append(box, "b", "$MDNSent");
        long highest = join(store().counters(box.id())).highestModSeq();

        FlagUpdateResult result = join(store().updateFlags(box.id(), List.of(1L, 2L, 40L), add("$MDNSent"), 0));

        assertThat(result.updated()).isEmpty();
        assertThat(result.modified()).containsExactly(1L, 2L);
        assertThat(join(store().counters(box.id())).highestModSeq()).isEqualTo(highest);
        assertThatThrownBy(() -> join(store().updateFlags(box.id(), List.of(1L), add("$x"), -1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void conditionalStoreThatChangesNothingKeepsTheModSeq() {
        Mailbox box = newMailbox();
        long modSeq = append(box, "a", Flags.SEEN).record().modSeq();

        FlagUpdateResult result = join(store().updateFlags(box.id(), List.of(1L), add(Flags.SEEN), modSeq));

        assertThat(result.updated()).extracting(MessageRecord::modSeq).containsExactly(modSeq);
        assertThat(result.modified()).isEmpty();
    }

    @Test
    void changesSinceReportsAppendsFlagChangesAndExpungesAfterTheGivenModSeq() {
        Mailbox box = newMailbox();
        for (int i = 1; i <= 4; i++) {
            append(box, "m" + i);
        }
        long known = join(store().counters(box.id())).highestModSeq();
        join(store().updateFlags(box.id(), List.of(2L), add(Flags.FLAGGED)));
        join(store().updateFlags(box.id(), List.of(3L), add(Flags.DELETED)));
        join(store().expunge(box.id(), List.of(3L)));
        append(box, "m5");

        MailboxChanges changes = join(store().changesSince(box.id(), known));

        assertThat(changes.uidNext()).isEqualTo(6);
        assertThat(changes.highestModSeq()).isEqualTo(known + 4);
        assertThat(changes.changed()).extracting(MessageRecord::uid, MessageRecord::modSeq)
                .containsExactly(tuple(2L, known + 1), tuple(5L, known + 4));
        assertThat(changes.vanished()).containsExactly(3L);
        assertThat(changes.vanishedComplete()).isTrue();

        MailboxChanges fromStart = join(store().changesSince(box.id(), 0));
        assertThat(fromStart.changed()).extracting(MessageRecord::uid).containsExactly(1L, 2L, 4L, 5L);
        assertThat(fromStart.vanished()).containsExactly(3L);
        assertThat(fromStart.vanishedComplete()).isTrue();

        MailboxChanges none = join(store().changesSince(box.id(), changes.highestModSeq()));
        assertThat(none.changed()).isEmpty();
        assertThat(none.vanished()).isEmpty();
        assertThat(none.vanishedComplete()).isTrue();
        assertThatThrownBy(() -> join(store().changesSince(box.id(), -1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void changesSinceReportsAMessageAppendedAndExpungedInTheIntervalAsVanishedOnly() {
        Mailbox box = newMailbox();
        append(box, "keep");
        long known = join(store().counters(box.id())).highestModSeq();
        append(box, "short-lived", Flags.DELETED);
        join(store().expunge(box.id(), List.of(2L)));

        MailboxChanges changes = join(store().changesSince(box.id(), known));

        assertThat(changes.changed()).isEmpty();
        assertThat(changes.vanished()).containsExactly(2L);
    }

    @Test
    void recentIsClaimedOnceAndDoesNotChangeHighestModSeq() {
        Mailbox box = newMailbox();
        append(box, "a");
        append(box, "b");
        append(box, "c");
        long highest = join(store().counters(box.id())).highestModSeq();

        RecentRange first = join(store().claimRecent(box.id()));
        RecentRange second = join(store().claimRecent(box.id()));
        append(box, "d");
        append(box, "e");
        RecentRange third = join(store().claimRecent(box.id()));

        assertThat(first).isEqualTo(new RecentRange(1, 4));
        assertThat(first.contains(3)).isTrue();
        assertThat(first.contains(4)).isFalse();
        assertThat(second.isEmpty()).isTrue();
        assertThat(third).isEqualTo(new RecentRange(4, 6));
        assertThat(join(store().counters(box.id())).highestModSeq()).isEqualTo(highest + 2);
    }

    @Test
    void unclaimedRecentCountsWithoutClaimingAndSkipsExpungedMessages() {
        Mailbox box = newMailbox();
        assertThat(join(store().unclaimedRecent(box.id()))).isZero();
        append(box, "a");
        append(box, "b");
        append(box, "c");

        // STATUS (RECENT) from another session, twice: it must not take \Recent from the next SELECT.
        assertThat(join(store().unclaimedRecent(box.id()))).isEqualTo(3);
        assertThat(join(store().unclaimedRecent(box.id()))).isEqualTo(3);
        assertThat(join(store().claimRecent(box.id()))).isEqualTo(new RecentRange(1, 4));
        assertThat(join(store().unclaimedRecent(box.id()))).isZero();

        append(box, "d");
        append(box, "e", Flags.DELETED);
        join(store().expunge(box.id(), List.of(5L)));
        assertThat(join(store().unclaimedRecent(box.id()))).isEqualTo(1);
    }

    // ---- content stored once, appended by reference with a header prefix; range reads; summaries

    private static final byte[] MULTIPART = ("From: Ann <ann@example.org>\r\nTo: bob@example.org\r\n"
            + "Subject: report\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n"
            + "--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1\r\nContent-Type: text/html\r\n\r\n"
            + "<p>hi</p>\r\n--b1--\r\n").getBytes(StandardCharsets.US_ASCII);

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void findAppendedFindsTheMessageMadeFromStoredContentInThatMailboxOnly() {
        Mailbox ann = newMailbox();
        Mailbox bob = newMailbox();
        Mailbox archive = newMailbox();
        StoredContent stored = join(store().storeContent(MULTIPART));
        StoredContent other = join(store().storeContent(mail("other")));
        assertThat(join(store().findAppended(ann.id(), stored.id()))).isEmpty();

        join(store().append(ann, mail("before"), Flags.EMPTY, DATE));
        AppendResult a = join(store().append(ann, stored, ascii("Delivered-To: ann@example.org\r\n"), Flags.EMPTY,
                DATE));
        join(store().append(bob, other, new byte[0], Flags.EMPTY, DATE));

        assertThat(join(store().findAppended(ann.id(), stored.id()))).contains(a.record());
        assertThat(join(store().findAppended(bob.id(), stored.id()))).isEmpty();
        assertThat(join(store().findAppended(ann.id(), other.id()))).isEmpty();
        assertThat(join(store().findAppended(ann.id(), java.util.UUID.randomUUID()))).isEmpty();

        long copyUid = join(store().copy(ann.id(), List.of(a.record().uid()), archive)).copies().get(0).copy().uid();
        assertThat(join(store().findAppended(archive.id(), stored.id()))).map(MessageRecord::uid).contains(copyUid);

        join(store().updateFlags(ann.id(), List.of(a.record().uid()), add("\\Deleted")));
        join(store().expunge(ann.id(), List.of(a.record().uid())));
        assertThat(join(store().findAppended(ann.id(), stored.id()))).isEmpty();
    }

    @Test
    void contentStoredOnceIsReadBackPerRecipientWithItsOwnPrefix() {
        Mailbox ann = newMailbox();
        Mailbox bob = newMailbox();
        StoredContent stored = join(store().storeContent(MULTIPART));
        assertThat(stored.size()).isEqualTo(MULTIPART.length);

        byte[] annPrefix = ascii("Delivered-To: ann@example.org\r\n");
        AppendResult a = join(store().append(ann, stored, annPrefix, Flags.EMPTY, DATE));
        AppendResult b = join(store().append(bob, stored, new byte[0], Flags.of("\\Seen"), DATE));

        assertThat(a.record().size()).isEqualTo(annPrefix.length + MULTIPART.length);
        assertThat(b.record().size()).isEqualTo(MULTIPART.length);
        assertThat(join(store().content(ann.id(), a.record().uid()))).contains(concat(annPrefix, MULTIPART));
        assertThat(join(store().content(bob.id(), b.record().uid()))).contains(MULTIPART);
        assertThat(join(store().counters(ann.id())).size()).isEqualTo(annPrefix.length + MULTIPART.length);
        assertCountersExact(ann);
        assertCountersExact(bob);
    }

    @Test
    void contentStoredFromABufferIsTheBuffersWindowWithItsSummary() {
        Mailbox box = newMailbox();
        byte[] padded = concat(concat(ascii("before"), MULTIPART), ascii("after"));
        java.nio.ByteBuffer window = java.nio.ByteBuffer.allocateDirect(padded.length).put(padded).flip()
                .position(6).limit(6 + MULTIPART.length);
        StoredContent stored = join(store().storeContent(window.asReadOnlyBuffer()));
        assertThat(stored.size()).isEqualTo(MULTIPART.length);
        assertThat(window.position()).isEqualTo(6);

        AppendResult a = join(store().append(box, stored, new byte[0], Flags.of("\\Seen"), DATE));
        assertThat(join(store().content(box.id(), a.record().uid()))).contains(MULTIPART);
        assertThat(join(store().summaries(box.id(), List.of(a.record().uid()))).get(a.record().uid()))
                .isEqualTo(io.stratusmail.mailbox.mime.MessageSummary.of(MULTIPART));
        assertCountersExact(box);
    }

    @Test
    void contentStoredFromABufferSpansSeveralChunks() {
        Mailbox box = newMailbox();
        byte[] large = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(large);
        System.arraycopy(MULTIPART, 0, large, 0, MULTIPART.length);
        StoredContent stored = join(store().storeContent(java.nio.ByteBuffer.wrap(large)));
        AppendResult a = join(store().append(box, stored, new byte[0], Flags.EMPTY, DATE));
        assertThat(join(store().content(box.id(), a.record().uid()))).contains(large);
        assertThat(join(store().content(box.id(), a.record().uid(), 1024 * 1024 - 3, 1024 * 1024 + 5)))
                .contains(java.util.Arrays.copyOfRange(large, 1024 * 1024 - 3, 1024 * 1024 + 5));
    }

    @Test
    void aCopyKeepsThePrefixAndTheContent() {
        Mailbox src = newMailbox();
        Mailbox dst = newMailbox();
        byte[] prefix = ascii("Delivered-To: src@example.org\r\n");
        StoredContent stored = join(store().storeContent(MULTIPART));
        AppendResult a = join(store().append(src, stored, prefix, Flags.EMPTY, DATE));

        CopyResult copy = join(store().copy(src.id(), List.of(a.record().uid()), dst));
        CopyResult moved = join(store().move(dst.id(), List.of(copy.copies().get(0).copy().uid()), src));

        long uid = moved.copies().get(0).copy().uid();
        assertThat(join(store().content(src.id(), uid))).contains(concat(prefix, MULTIPART));
        assertThat(join(store().content(src.id(), a.record().uid()))).contains(concat(prefix, MULTIPART));
        assertThat(join(store().snapshot(dst)).messages()).isEmpty();
    }

    @Test
    void appendOfStoredContentRefusesAnOverlongPrefixAndAnUnknownHandle() {
        Mailbox box = newMailbox();
        StoredContent stored = join(store().storeContent(MULTIPART));
        byte[] overlong = new byte[MessageStore.MAX_HEADER_PREFIX + 1];

        assertThatThrownBy(() -> join(store().append(box, stored, overlong, Flags.EMPTY, DATE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
        StoredContent unknown = new StoredContent(java.util.UUID.randomUUID(), 10);
        assertThatThrownBy(() -> join(store().append(box, unknown, new byte[0], Flags.EMPTY, DATE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(join(store().snapshot(box)).messages()).isEmpty();
        assertThat(join(store().counters(box.id())).messages()).isZero();
    }

    @Test
    void rangeReadsCrossThePrefixAndAreClampedToTheSize() {
        Mailbox box = newMailbox();
        byte[] prefix = ascii("Delivered-To: x@example.org\r\n");
        byte[] full = concat(prefix, MULTIPART);
        long uid = join(store().append(box, join(store().storeContent(MULTIPART)), prefix, Flags.EMPTY, DATE))
                .record().uid();

        assertThat(join(store().content(box.id(), uid, 0, 5))).contains(java.util.Arrays.copyOfRange(full, 0, 5));
        assertThat(join(store().content(box.id(), uid, prefix.length - 3, prefix.length + 7)))
                .contains(java.util.Arrays.copyOfRange(full, prefix.length - 3, prefix.length + 7));
        assertThat(join(store().content(box.id(), uid, prefix.length + 4, prefix.length + 9)))
                .contains(java.util.Arrays.copyOfRange(full, prefix.length + 4, prefix.length + 9));
        assertThat(join(store().content(box.id(), uid, full.length - 4, full.length + 100)))
                .contains(java.util.Arrays.copyOfRange(full, full.length - 4, full.length));
        assertThat(join(store().content(box.id(), uid, full.length + 10, full.length + 20))).contains(new byte[0]);
        assertThat(join(store().content(box.id(), uid, 7, 7))).contains(new byte[0]);
        assertThat(join(store().content(box.id(), uid + 1, 0, 10))).isEmpty();
        assertThatThrownBy(() -> join(store().content(box.id(), uid, -1, 10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> join(store().content(box.id(), uid, 10, 9)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void summariesEqualParsingTheMessageAsReadAndSkipUnknownAndExpungedUids() {
        Mailbox box = newMailbox();
        byte[] prefix = ascii("Delivered-To: x@example.org\r\n");
        StoredContent stored = join(store().storeContent(MULTIPART));
        long withPrefix = join(store().append(box, stored, prefix, Flags.EMPTY, DATE)).record().uid();
        long plain = join(store().append(box, mail("plain"), Flags.of("\\Deleted"), DATE)).record().uid();
        long kept = join(store().append(box, mail("kept"), Flags.EMPTY, DATE)).record().uid();
        join(store().expunge(box.id(), List.of(plain)));

        java.util.Map<Long, MessageSummary> summaries = join(store().summaries(box.id(),
                List.of(withPrefix, plain, kept, 999L)));

        assertThat(summaries).containsOnlyKeys(withPrefix, kept);
        assertThat(summaries.get(withPrefix)).isEqualTo(MessageSummary.of(concat(prefix, MULTIPART)));
        assertThat(summaries.get(withPrefix).size()).isEqualTo(prefix.length + MULTIPART.length);
        assertThat(summaries.get(withPrefix).envelope().subject()).isEqualTo(
                MessageSummary.of(MULTIPART).envelope().subject());
        assertThat(summaries.get(kept)).isEqualTo(MessageSummary.of(mail("kept")));
        assertThat(join(store().summaries(box.id(), List.of()))).isEmpty();
    }
}
