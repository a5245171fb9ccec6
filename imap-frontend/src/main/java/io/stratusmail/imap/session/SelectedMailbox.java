package io.stratusmail.imap.session;

import io.stratusmail.imap.fetch.FetchItem;
import io.stratusmail.imap.fetch.FetchResponse;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.protocol.SequenceSet;
import io.stratusmail.imap.response.ExistsResponse;
import io.stratusmail.imap.response.ExpungeResponse;
import io.stratusmail.imap.response.ImapResponse;
import io.stratusmail.imap.response.RecentResponse;
import io.stratusmail.imap.response.VanishedResponse;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MailboxChanges;
import io.stratusmail.mailbox.message.MailboxSnapshot;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.RecentRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The session's view of the selected mailbox (RFC 3501 section 2.3.1.2): the MSN to UID map and each
 * message's flags, as last reported to the client. MSN {@code n} is index {@code n - 1}.
 *
 * <p>Memory: UIDs as unsigned 32-bit ints and one reference per message to an interned {@link Flags} (few
 * distinct flag sets exist in practice): about 8 octets per message, under 1 MiB for 100,000 messages.
 *
 * <p>The view changes only when the session tells the client: after its own STORE/EXPUNGE, and at NOOP, IDLE
 * and the other points where RFC 3501 section 7 allows untagged updates, through {@link #apply}. Expunges learnt
 * while EXPUNGE responses are not allowed (during FETCH, STORE, SEARCH, RFC 3501 section 7.4.1) wait in a pending
 * set and the messages keep their MSNs until the next point that may report them.
 *
 * <p>{@code \Recent} (RFC 3501 section 2.3.2) is per session: the UID ranges this session claimed from the store
 * ({@link io.stratusmail.mailbox.message.MessageStore#claimRecent}), at most {@value #MAX_RECENT_RANGES} of them
 * (the oldest are dropped: an old message losing {@code \Recent} early is harmless).
 *
 * <p>Confined to the session's event loop.
 */
public final class SelectedMailbox {

    private final Mailbox mailbox;
    private final boolean readOnly;
    private final long uidValidity;
    private long uidNext;
    private long highestModSeq;
    /** HIGHESTMODSEQ of the last snapshot the view was brought up to date with. */
    private long syncedModSeq;
    private int[] uids;
    private Flags[] flags;
    private int count;
    private final Map<Flags, Flags> interned = new HashMap<>();
    /** Most {@code \Recent} ranges kept per session. */
    static final int MAX_RECENT_RANGES = 256;
    /** This session's {@code \Recent} UIDs as pairs {@code [from, to)}, ascending and disjoint. */
    private long[] recent = new long[0];
    /** UIDs of messages in the view known to be expunged but not yet reported; null when none. */
    private TreeSet<Long> pendingExpunges;
    /** True once the view stopped following its mailbox ({@link #detach}). */
    private boolean detached;

    private SelectedMailbox(Mailbox mailbox, boolean readOnly, MailboxSnapshot snapshot) {
        this.mailbox = mailbox;
        this.readOnly = readOnly;
        this.uidValidity = snapshot.uidValidity();
        this.uidNext = snapshot.uidNext();
        this.highestModSeq = snapshot.highestModSeq();
        this.syncedModSeq = snapshot.highestModSeq();
        int n = snapshot.messages().size();
        this.uids = new int[Math.max(16, n)];
        this.flags = new Flags[uids.length];
        for (MessageRecord r : snapshot.messages()) {
            uids[count] = (int) r.uid();
            flags[count] = intern(r.flags());
            count++;
        }
    }

    /** The view of a freshly read snapshot (SELECT / EXAMINE). */
    public static SelectedMailbox of(Mailbox mailbox, boolean readOnly, MailboxSnapshot snapshot) {
        return new SelectedMailbox(mailbox, readOnly, snapshot);
    }

    private Flags intern(Flags f) {
        Flags known = interned.putIfAbsent(f, f);
        return known == null ? f : known;
    }

    public Mailbox mailbox() {
        return mailbox;
    }

    /** Whether selected with EXAMINE: no flag changes, no expunge. */
    public boolean readOnly() {
        return readOnly;
    }

    public long uidValidity() {
        return uidValidity;
    }

    public long uidNext() {
        return uidNext;
    }

    public long highestModSeq() {
        return highestModSeq;
    }

    /**
     * The HIGHESTMODSEQ of the snapshot the view was last synchronized with: every change up to it, by anyone, is
     * in the view. (Unlike {@link #highestModSeq()}, the session's own changes do not raise it, since changes by
     * others below them may still be unseen.)
     */
    public long syncedModSeq() {
        return syncedModSeq;
    }

    /** The number of messages (EXISTS). */
    public int exists() {
        return count;
    }

    public long uid(int msn) {
        return Integer.toUnsignedLong(uids[msn - 1]);
    }

    public Flags flags(int msn) {
        return flags[msn - 1];
    }

    /** Records the flags the client was just told about. */
    public void setFlags(int msn, Flags f) {
        flags[msn - 1] = intern(f);
    }

    /** The MSN of the message with this UID, or 0 when it is not in the view. */
    public int msn(long uid) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compare(Integer.toUnsignedLong(uids[mid]), uid);
            if (c == 0) {
                return mid + 1;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return 0;
    }

    /** The MSN of the first message without {@code \Seen}, or 0. */
    public int firstUnseen() {
        for (int i = 0; i < count; i++) {
            if (!flags[i].contains(Flags.SEEN)) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The number of messages in the view without {@code \Seen} (STATUS UNSEEN of the selected mailbox). */
    public int unseenCount() {
        int unseen = 0;
        for (int i = 0; i < count; i++) {
            if (!flags[i].contains(Flags.SEEN)) {
                unseen++;
            }
        }
        return unseen;
    }

    /** Every flag and keyword in use, with the system flags, sorted (for {@code * FLAGS}). */
    public List<String> definedFlags() {
        TreeSet<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        all.addAll(List.of(Flags.ANSWERED, Flags.FLAGGED, Flags.DELETED, Flags.SEEN, Flags.DRAFT));
        for (Flags f : interned.keySet()) {
            all.addAll(f.values());
        }
        return new ArrayList<>(all);
    }

    /** {@link #resolveUids} for a UID command, {@link #resolveMsns} otherwise. */
    public int[] resolve(SequenceSet set, boolean uid) throws ParseException {
        return uid ? resolveUids(set) : resolveMsns(set);
    }

    /**
     * The MSNs a sequence set names, ascending, without duplicates.
     *
     * @throws ParseException when it names an MSN above the message count (RFC 3501 section 9: {@code *}
     *                        in an empty mailbox included); the command then gets {@code BAD}
     */
    public int[] resolveMsns(SequenceSet set) throws ParseException {
        if (set.max(count) > count || (set.usesStar() && count == 0)) {
            throw new ParseException("Invalid message sequence number: " + set + " (mailbox has " + count
                    + " messages)");
        }
        long[] ranges = set.ranges(count);
        int total = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            total += (int) (ranges[i + 1] - ranges[i] + 1);
        }
        int[] msns = new int[total];
        int n = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            for (long m = ranges[i]; m <= ranges[i + 1]; m++) {
                msns[n++] = (int) m;
            }
        }
        return msns;
    }

    /**
     * The MSNs of the messages whose UIDs a UID set names, ascending. UIDs not in the view are ignored;
     * {@code *} is the highest UID (so {@code n:*} always includes the last message, RFC 3501 section 6.4.8).
     */
    public int[] resolveUids(SequenceSet set) {
        if (count == 0) {
            return new int[0];
        }
        long[] ranges = set.ranges(uid(count));
        int[] msns = new int[0];
        int n = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            int from = lowerBound(ranges[i]);
            int to = lowerBound(ranges[i + 1] + 1);
            if (to > from) {
                if (n + to - from > msns.length) {
                    msns = Arrays.copyOf(msns, Math.max(n + to - from, msns.length * 2));
                }
                for (int k = from; k < to; k++) {
                    msns[n++] = k + 1;
                }
            }
        }
        return Arrays.copyOf(msns, n);
    }

    /** Index of the first message with UID >= {@code uid}. */
    private int lowerBound(long uid) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Integer.toUnsignedLong(uids[mid]) < uid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Removes messages from the view and returns the EXPUNGE responses that tell the client, in the RFC 3501
     * section 7.4.1 way: ascending, each MSN counted after the previous removals (messages 3, 4, 7 give
     * {@code 3, 3, 5}).
     */
    public List<ImapResponse> expunge(Collection<Long> removedUids) {
        if (pendingExpunges != null) {
            pendingExpunges.removeAll(removedUids);
            if (pendingExpunges.isEmpty()) {
                pendingExpunges = null;
            }
        }
        boolean[] gone = new boolean[count];
        for (long uid : removedUids) {
            int msn = msn(uid);
            if (msn > 0) {
                gone[msn - 1] = true;
            }
        }
        List<ImapResponse> out = new ArrayList<>();
        int write = 0;
        for (int read = 0; read < count; read++) {
            if (gone[read]) {
                out.add(new ExpungeResponse(write + 1));
            } else {
                uids[write] = uids[read];
                flags[write] = flags[read];
                write++;
            }
        }
        Arrays.fill(flags, write, count, null);
        count = write;
        return out;
    }

    /**
     * Removes messages from the view and returns what tells the client: {@link #expunge(Collection)}'s EXPUNGE
     * responses, or with {@code vanished} (QRESYNC enabled, RFC 7162 section 3.2.10) one {@code * VANISHED uids}
     * of those UIDs that were in the view (none when none was).
     */
    public List<ImapResponse> expunge(Collection<Long> removedUids, boolean vanished) {
        if (!vanished) {
            return expunge(removedUids);
        }
        TreeSet<Long> present = new TreeSet<>();
        for (long uid : removedUids) {
            if (msn(uid) > 0) {
                present.add(uid);
            }
        }
        expunge(present);
        return present.isEmpty() ? List.of() : List.of(new VanishedResponse(List.copyOf(present), false));
    }

    /**
     * Empties the view and stops it following its mailbox: RENAME INBOX by this session moved every INBOX message
     * to another name (RFC 3501 section 6.3.5 leaves INBOX empty), so the client's INBOX has lost them all. The
     * mailbox the view followed now has the other name (with the same UIDVALIDITY and UIDs), and the new INBOX
     * has another UIDVALIDITY, so neither may be shown under this selection: further refreshes report nothing
     * until the client selects again.
     *
     * @param vanished QRESYNC enabled: one {@code * VANISHED} instead of EXPUNGE responses
     * @return the responses that tell the client every message is gone
     */
    public List<ImapResponse> detach(boolean vanished) {
        List<Long> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(Integer.toUnsignedLong(uids[i]));
        }
        detached = true;
        recent = new long[0];
        return expunge(all, vanished);
    }

    /** Whether the view no longer follows its mailbox ({@link #detach}); refreshes then report nothing. */
    public boolean detached() {
        return detached;
    }

    /** Adds a range this session claimed (RFC 3501 section 2.3.2): its messages are {@code \Recent} here. */
    public void addRecent(RecentRange range) {
        if (range.isEmpty()) {
            return;
        }
        int n = recent.length;
        if (n > 0 && recent[n - 1] >= range.fromUid()) {
            recent[n - 1] = Math.max(recent[n - 1], range.toUid());
            return;
        }
        if (n / 2 >= MAX_RECENT_RANGES) {
            recent = Arrays.copyOfRange(recent, 2, n);
            n -= 2;
        }
        recent = Arrays.copyOf(recent, n + 2);
        recent[n] = range.fromUid();
        recent[n + 1] = range.toUid();
    }

    /** Whether the message is {@code \Recent} for this session. */
    public boolean recent(int msn) {
        long uid = uid(msn);
        for (int i = 0; i < recent.length; i += 2) {
            if (uid >= recent[i] && uid < recent[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** The number of messages in the view that are {@code \Recent} for this session ({@code * n RECENT}). */
    public int recentCount() {
        int total = 0;
        for (int i = 0; i < recent.length; i += 2) {
            total += lowerBound(recent[i + 1]) - lowerBound(recent[i]);
        }
        return total;
    }

    /** Whether some message of {@code changes} is newer than the view's last message (a refresh then claims). */
    public boolean hasNewMessages(MailboxChanges changes) {
        long maxUid = count == 0 ? 0 : uid(count);
        for (MessageRecord r : changes.changed()) {
            if (r.uid() > maxUid) {
                return true;
            }
        }
        return false;
    }

    /**
     * The changes between the view and a full snapshot of the mailbox, for when the store's expunge log does not
     * reach back far enough ({@link MailboxChanges#vanishedComplete()} false, RFC 7162 section 3.2.5.2): view
     * messages missing from the snapshot are vanished, new ones and those whose flags differ are changed.
     */
    public MailboxChanges diff(MailboxSnapshot snapshot) {
        List<MessageRecord> now = snapshot.messages();
        List<Long> removed = new ArrayList<>();
        List<MessageRecord> changed = new ArrayList<>();
        int i = 0;
        for (int k = 0; k < count; k++) {
            long uid = uid(k + 1);
            while (i < now.size() && now.get(i).uid() < uid) {
                i++; // below our highest UID yet unknown to us: cannot happen (invariant 4), ignored
            }
            if (i < now.size() && now.get(i).uid() == uid) {
                if (!now.get(i).flags().equals(flags[k])) {
                    changed.add(now.get(i));
                }
                i++;
            } else {
                removed.add(uid);
            }
        }
        long maxUid = count == 0 ? 0 : uid(count);
        for (MessageRecord r : now) {
            if (r.uid() > maxUid) {
                changed.add(r);
            }
        }
        return new MailboxChanges(snapshot.uidNext(), snapshot.highestModSeq(), changed, removed, true);
    }

    /**
     * Brings the view up to date with what changed since {@link #syncedModSeq()} and returns what to tell the
     * client (RFC 3501 sections 6.1.2 and 7.4.1, RFC 7162 sections 3.1.4 and 3.2.10), in this order: the
     * expunges ({@code * n EXPUNGE} each, or one {@code * VANISHED uids} with {@code qresync}) when
     * {@code allowExpunge}, else they wait; {@code * n EXISTS} and {@code * n RECENT} when new messages appeared;
     * {@code * n FETCH (FLAGS (...))} for messages whose flags changed, with {@code UID} when {@code qresync} and
     * {@code MODSEQ (m)} when {@code condstore}. The session's own changes, already reported, give nothing.
     *
     * @param changes      what the store reported since {@link #syncedModSeq()} (complete expunge list)
     * @param allowExpunge whether EXPUNGE/VANISHED may be sent now (not during FETCH, STORE, SEARCH)
     * @param condstore    whether CONDSTORE is enabled
     * @param qresync      whether QRESYNC is enabled
     */
    public List<ImapResponse> apply(MailboxChanges changes, boolean allowExpunge, boolean condstore,
                                    boolean qresync) {
        for (long uid : changes.vanished()) {
            if (msn(uid) > 0) {
                if (pendingExpunges == null) {
                    pendingExpunges = new TreeSet<>();
                }
                pendingExpunges.add(uid);
            }
        }
        long maxUid = count == 0 ? 0 : uid(count);
        List<MessageRecord> changed = new ArrayList<>();
        List<MessageRecord> added = new ArrayList<>();
        for (MessageRecord r : changes.changed()) {
            if (r.uid() > maxUid) {
                added.add(r);
            } else {
                int msn = msn(r.uid());
                if (msn > 0 && !r.flags().equals(flags[msn - 1])
                        && (pendingExpunges == null || !pendingExpunges.contains(r.uid()))) {
                    changed.add(r);
                }
            }
        }
        List<ImapResponse> out = new ArrayList<>();
        if (allowExpunge && pendingExpunges != null) {
            TreeSet<Long> gone = pendingExpunges;
            pendingExpunges = null;
            out.addAll(expunge(gone, qresync));
        }
        if (!added.isEmpty()) {
            for (MessageRecord r : added) {
                append(r.uid(), r.flags());
            }
            out.add(new ExistsResponse(count));
            out.add(new RecentResponse(recentCount()));
        }
        for (MessageRecord r : changed) {
            int msn = msn(r.uid());
            setFlags(msn, r.flags());
            List<FetchItem> items = new ArrayList<>(3);
            if (qresync) {
                items.add(new FetchItem.UidItem(r.uid()));
            }
            items.add(new FetchItem.FlagsItem(r.flags(), recent(msn)));
            if (condstore) {
                items.add(new FetchItem.ModSeqItem(r.modSeq()));
            }
            out.add(new FetchResponse(msn, items));
        }
        uidNext = Math.max(uidNext, changes.uidNext());
        highestModSeq = Math.max(highestModSeq, changes.highestModSeq());
        syncedModSeq = Math.max(syncedModSeq, changes.highestModSeq());
        return out;
    }

    /**
     * The UIDs within {@code ranges} that are not in the view, in {@code sequence-set} wire form, or the empty
     * string when there are none: what a QRESYNC SELECT reports as VANISHED (EARLIER) when the store's expunge log
     * does not reach back far enough (RFC 7162 section 3.2.5.2). Linear in the view and the ranges; the result is
     * ranges, however many UIDs they span.
     *
     * @param ranges sorted disjoint {@code [low, high, ...]} UID ranges ({@link SequenceSet#ranges})
     */
    public String absentUids(long[] ranges) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ranges.length; i += 2) {
            long next = ranges[i];
            long high = ranges[i + 1];
            for (int k = lowerBound(next); k < count && Integer.toUnsignedLong(uids[k]) <= high; k++) {
                long present = Integer.toUnsignedLong(uids[k]);
                if (present > next) {
                    appendRange(sb, next, present - 1);
                }
                next = present + 1;
            }
            if (next <= high) {
                appendRange(sb, next, high);
            }
        }
        return sb.toString();
    }

    private static void appendRange(StringBuilder sb, long from, long to) {
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(from);
        if (to > from) {
            sb.append(':').append(to);
        }
    }

    /** Whether expunges learnt earlier still wait to be reported. */
    public boolean hasPendingExpunges() {
        return pendingExpunges != null;
    }

    private void append(long uid, Flags f) {
        if (count == uids.length) {
            uids = Arrays.copyOf(uids, count * 2);
            flags = Arrays.copyOf(flags, count * 2);
        }
        uids[count] = (int) uid;
        flags[count] = intern(f);
        count++;
    }

    /**
     * Brings the view up to date with a newer snapshot and returns what to tell the client (NOOP,
     * RFC 3501 section 6.1.2): {@link #apply} of {@link #diff}, expunges allowed, without CONDSTORE or QRESYNC.
     */
    public List<ImapResponse> synchronize(MailboxSnapshot snapshot) {
        return apply(diff(snapshot), true, false, false);
    }

    /** Notes a HIGHESTMODSEQ the session learned from its own changes. */
    public void observeModSeq(long modSeq) {
        highestModSeq = Math.max(highestModSeq, modSeq);
    }
}
