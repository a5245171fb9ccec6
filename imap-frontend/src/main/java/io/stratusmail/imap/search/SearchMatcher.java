package io.stratusmail.imap.search;

import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageRecord;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Evaluates a {@link SearchKey} against one message at a time, from whatever is known of it: the session's
 * view (MSN, UID, flags), the store's {@link MessageRecord} (size, INTERNALDATE) and the decoded text
 * ({@link SearchableMessage}). Keys that need data not given evaluate to {@link Match#UNKNOWN}.
 *
 * <p>{@code \Recent} comes from the session ({@link Message#recent()}); {@code MODSEQ} needs the record.
 * Immutable once built, so it may be used from any thread.
 */
public final class SearchMatcher {

    /**
     * What is known of one message.
     *
     * @param msn    message sequence number in the session's view
     * @param uid    its UID
     * @param flags  its flags as the session's view has them
     * @param recent whether it is {@code \Recent} for the session
     * @param record the store's record, or null when not read
     * @param text   the decoded text, or null when not read
     */
    public record Message(int msn, long uid, Flags flags, boolean recent, MessageRecord record,
                          SearchableMessage text) {

        public Message withRecord(MessageRecord r) {
            return new Message(msn, uid, flags, recent, r, text);
        }

        public Message withText(SearchableMessage t) {
            return new Message(msn, uid, flags, recent, record, t);
        }
    }

    private final SearchKey key;
    /** The merged ranges of each sequence key, {@code *} resolved. */
    private final Map<SearchKey.Sequence, long[]> ranges = new IdentityHashMap<>();
    private final boolean needsRecord;
    private final boolean needsText;
    private final boolean usesModSeq;

    /**
     * @param key        the criterion
     * @param messages   messages in the view ({@code *} of a sequence set)
     * @param highestUid UID of the last message in the view ({@code *} of a UID set), 0 when empty
     */
    public SearchMatcher(SearchKey key, int messages, long highestUid) {
        this.key = key;
        boolean[] needs = new boolean[3];
        prepare(key, messages, highestUid, needs);
        this.needsRecord = needs[0];
        this.needsText = needs[1];
        this.usesModSeq = needs[2];
    }

    private void prepare(SearchKey k, int messages, long highestUid, boolean[] needs) {
        if (k instanceof SearchKey.Sequence s) {
            ranges.put(s, s.set().ranges(s.uid() ? highestUid : messages));
        } else if (k instanceof SearchKey.Size || k instanceof SearchKey.InternalDate) {
            needs[0] = true;
        } else if (k instanceof SearchKey.ModSeq) {
            needs[0] = true;
            needs[2] = true;
        } else if (k instanceof SearchKey.SentDate) {
            needs[0] = true;
            needs[1] = true;
        } else if (k instanceof SearchKey.Header || k instanceof SearchKey.Body || k instanceof SearchKey.Text) {
            needs[1] = true;
        } else if (k instanceof SearchKey.Not n) {
            prepare(n.key(), messages, highestUid, needs);
        } else if (k instanceof SearchKey.Or o) {
            prepare(o.left(), messages, highestUid, needs);
            prepare(o.right(), messages, highestUid, needs);
        } else if (k instanceof SearchKey.And a) {
            for (SearchKey sub : a.keys()) {
                prepare(sub, messages, highestUid, needs);
            }
        }
    }

    /** Whether some key needs the store's record (sizes, dates). */
    public boolean needsRecord() {
        return needsRecord;
    }

    /**
     * Whether the key uses MODSEQ (RFC 7162 section 3.1.5): the result then reports the highest MODSEQ of the
     * matches, so every match needs its record.
     */
    public boolean usesModSeq() {
        return usesModSeq;
    }

    /** Whether some key needs the message's text (header and body keys, sent dates). */
    public boolean needsText() {
        return needsText;
    }

    /** Evaluates the key for {@code message}. */
    public Match match(Message message) {
        return match(key, message);
    }

    private Match match(SearchKey k, Message m) {
        if (k instanceof SearchKey.All) {
            return Match.TRUE;
        } else if (k instanceof SearchKey.Flag f) {
            return Match.of(m.flags().contains(f.flag()) == f.set());
        } else if (k instanceof SearchKey.Recent r) {
            return Match.of(m.recent() == r.set());
        } else if (k instanceof SearchKey.ModSeq q) {
            return m.record() == null ? Match.UNKNOWN : Match.of(m.record().modSeq() >= q.modSeq());
        } else if (k instanceof SearchKey.Sequence s) {
            return Match.of(contains(ranges.get(s), s.uid() ? m.uid() : m.msn()));
        } else if (k instanceof SearchKey.Size s) {
            return m.record() == null ? Match.UNKNOWN
                    : Match.of(s.larger() ? m.record().size() > s.octets() : m.record().size() < s.octets());
        } else if (k instanceof SearchKey.InternalDate d) {
            return m.record() == null ? Match.UNKNOWN
                    : Match.of(d.comparison().test(internalDay(m.record()), d.date()));
        } else if (k instanceof SearchKey.SentDate d) {
            return sentDate(d, m);
        } else if (k instanceof SearchKey.Header h) {
            return m.text() == null ? Match.UNKNOWN : Match.of(m.text().headerContains(h.field(), h.substring()));
        } else if (k instanceof SearchKey.Body b) {
            return m.text() == null ? Match.UNKNOWN : Match.of(m.text().bodyContains(b.substring()));
        } else if (k instanceof SearchKey.Text t) {
            return m.text() == null ? Match.UNKNOWN : Match.of(m.text().textContains(t.substring()));
        } else if (k instanceof SearchKey.Not n) {
            return match(n.key(), m).not();
        } else if (k instanceof SearchKey.Or o) {
            Match left = match(o.left(), m);
            return left == Match.TRUE ? left : left.or(match(o.right(), m));
        } else if (k instanceof SearchKey.And a) {
            Match all = Match.TRUE;
            for (SearchKey sub : a.keys()) {
                all = all.and(match(sub, m));
                if (all == Match.FALSE) {
                    break;
                }
            }
            return all;
        }
        throw new IllegalArgumentException("unknown search key " + k);
    }

    private static Match sentDate(SearchKey.SentDate d, Message m) {
        if (m.text() == null) {
            return Match.UNKNOWN;
        }
        LocalDate day = m.text().sentDate();
        if (day == null) {
            if (m.record() == null) {
                return Match.UNKNOWN;
            }
            day = internalDay(m.record());
        }
        return Match.of(d.comparison().test(day, d.date()));
    }

    private static LocalDate internalDay(MessageRecord r) {
        return LocalDate.ofInstant(r.internalDate(), ZoneOffset.UTC);
    }

    /** Whether {@code n} lies in the sorted, disjoint {@code [low, high, ...]} ranges. */
    private static boolean contains(long[] ranges, long n) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (n < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (n > ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "SearchMatcher[" + key + ", sequences=" + Arrays.toString(ranges.values().toArray()) + "]";
    }
}
