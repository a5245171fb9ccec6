package io.stratusmail.imap.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.protocol.SequenceSet;
import io.stratusmail.imap.response.ImapResponse;
import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MailboxChanges;
import io.stratusmail.mailbox.message.MailboxSnapshot;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.RecentRange;
import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The session's MSN/UID/flags view (RFC 3501 sections 2.3.1.2, 7.4.1). */
class SelectedMailboxTest {

    private static final Mailbox BOX = new Mailbox(MailboxId.random(), Username.of("a@example.org"),
            MailboxName.INBOX, 7);

    private static MessageRecord record(long uid, String... flags) {
        return new MessageRecord(uid, uid, Flags.of(flags), 100, Instant.EPOCH);
    }

    private static SelectedMailbox view(long... uids) {
        List<MessageRecord> records = new ArrayList<>();
        for (long uid : uids) {
            records.add(record(uid));
        }
        return SelectedMailbox.of(BOX, false, new MailboxSnapshot(7, uids.length == 0 ? 1 : uids[uids.length - 1] + 1,
                uids.length, records));
    }

    private static List<String> wire(List<ImapResponse> responses) {
        List<String> out = new ArrayList<>();
        for (ImapResponse r : responses) {
            ImapWriter w = new ImapWriter();
            r.write(w);
            out.add(new String(w.toByteArray(), StandardCharsets.US_ASCII).trim());
        }
        return out;
    }

    @Test
    void resolvesMsnAndUidSets() throws Exception {
        SelectedMailbox box = view(3, 5, 9, 12, 4_000_000_000L);
        assertThat(box.resolveMsns(SequenceSet.parse("2:3,5"))).containsExactly(2, 3, 5);
        assertThat(box.resolveMsns(SequenceSet.parse("*:4"))).containsExactly(4, 5);
        assertThat(box.resolveUids(SequenceSet.parse("4:10"))).containsExactly(2, 3);
        assertThat(box.resolveUids(SequenceSet.parse("13:*"))).containsExactly(5);
        assertThat(box.resolveUids(SequenceSet.parse("1,2,6"))).isEmpty();
        assertThat(box.uid(5)).isEqualTo(4_000_000_000L);
        assertThat(box.msn(4_000_000_000L)).isEqualTo(5);
        assertThat(box.msn(4)).isZero();
        assertThatThrownBy(() -> box.resolveMsns(SequenceSet.parse("6"))).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> view().resolveMsns(SequenceSet.parse("*"))).isInstanceOf(ParseException.class);
        assertThat(view().resolveUids(SequenceSet.parse("1:*"))).isEmpty();
    }

    @Test
    void expungeRenumbersAscending() {
        SelectedMailbox box = view(LongStream.rangeClosed(1, 11).toArray());
        // RFC 3501 section 6.4.3 example: messages 3, 4, 7 and 11 expunged.
        assertThat(wire(box.expunge(List.of(3L, 4L, 7L, 11L))))
                .containsExactly("* 3 EXPUNGE", "* 3 EXPUNGE", "* 5 EXPUNGE", "* 8 EXPUNGE");
        assertThat(box.exists()).isEqualTo(7);
        assertThat(box.uid(3)).isEqualTo(5);
    }

    @Test
    void synchronizeReportsExpungesNewMessagesAndFlagChanges() {
        SelectedMailbox box = view(1, 2, 3);
        MailboxSnapshot later = new MailboxSnapshot(7, 6, 9, List.of(record(1, "\\Seen"), record(3), record(5)));
        assertThat(wire(box.synchronize(later)))
                .containsExactly("* 2 EXPUNGE", "* 3 EXISTS", "* 0 RECENT", "* 1 FETCH (FLAGS (\\Seen))");
        assertThat(box.uidNext()).isEqualTo(6);
        assertThat(box.highestModSeq()).isEqualTo(9);
        assertThat(wire(box.synchronize(later))).isEmpty();
    }

    @Test
    void hundredThousandMessagesStayCompactAndFast() throws Exception {
        List<MessageRecord> records = new ArrayList<>();
        for (long uid = 1; uid <= 100_000; uid++) {
            records.add(record(uid * 2, uid % 3 == 0 ? new String[] {"\\Seen"} : new String[0]));
        }
        long start = System.nanoTime();
        SelectedMailbox box = SelectedMailbox.of(BOX, false, new MailboxSnapshot(7, 200_001, 100_000, records));
        assertThat(box.resolveMsns(SequenceSet.parse("1:*"))).hasSize(100_000);
        assertThat(box.resolveUids(SequenceSet.parse("100001:*"))).hasSize(50_000);
        List<Long> gone = new ArrayList<>();
        for (long uid = 2; uid <= 200_000; uid += 4) {
            gone.add(uid);
        }
        assertThat(box.expunge(gone)).hasSize(50_000);
        assertThat(box.exists()).isEqualTo(50_000);
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    @Test
    void recentRangesCountOnlyTheSessionsOwnMessages() {
        SelectedMailbox box = view(1, 2, 3, 4, 5, 6);
        box.addRecent(new RecentRange(2, 4));
        box.addRecent(new RecentRange(4, 5)); // adjacent: merged
        box.addRecent(new RecentRange(6, 6)); // empty: ignored
        assertThat(box.recentCount()).isEqualTo(3);
        assertThat(box.recent(1)).isFalse();
        assertThat(box.recent(4)).isTrue();
        assertThat(box.recent(5)).isFalse();
        for (int i = 0; i < SelectedMailbox.MAX_RECENT_RANGES + 10; i++) {
            box.addRecent(new RecentRange(100 + 2L * i, 101 + 2L * i));
        }
        assertThat(box.recent(2)).as("the oldest ranges are dropped, memory stays bounded").isFalse();
    }

    @Test
    void expungesWaitWhileNotAllowedAndGoOutAsVanishedWithQresync() {
        SelectedMailbox box = view(1, 2, 3, 4);
        MailboxChanges gone = new MailboxChanges(5, 9, List.of(record(4, "\\Seen")), List.of(2L, 3L), true);
        assertThat(wire(box.apply(gone, false, true, true))).containsExactly(
                "* 4 FETCH (UID 4 FLAGS (\\Seen) MODSEQ (4))");
        assertThat(box.exists()).as("MSNs stay while EXPUNGE is not allowed").isEqualTo(4);
        assertThat(box.hasPendingExpunges()).isTrue();
        MailboxChanges none = new MailboxChanges(5, 9, List.of(), List.of(), true);
        assertThat(wire(box.apply(none, true, true, true))).containsExactly("* VANISHED 2:3");
        assertThat(box.exists()).isEqualTo(2);
        assertThat(box.uid(2)).isEqualTo(4);
        assertThat(box.syncedModSeq()).isEqualTo(9);
    }

    @Test
    void absentUidsAreRangesOfWhatTheViewLacks() {
        SelectedMailbox box = view(2, 3, 7, 4_000_000_000L);
        assertThat(box.absentUids(new long[] {1, 10})).isEqualTo("1,4:6,8:10");
        assertThat(box.absentUids(new long[] {2, 3, 7, 7})).isEmpty();
        assertThat(box.absentUids(new long[] {1, 4_294_967_295L}))
                .isEqualTo("1,4:6,8:3999999999,4000000001:4294967295");
    }
}
