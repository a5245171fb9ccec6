package io.stratusmail.imap.fetch;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.protocol.SequenceSet;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.MessageSetCommand;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.mime.BodySection;
import io.stratusmail.mailbox.mime.MessageSummary;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * FETCH and UID FETCH sequence-set attributes (RFC 3501 sections 6.4.5 and 6.4.8): one
 * {@code * msn FETCH (...)} per message, items in the order asked, with {@code UID} always included for
 * UID FETCH.
 *
 * <p>What is read, per batch of messages: FLAGS and UID come from the session's view and read nothing;
 * INTERNALDATE from the store's records ({@code MessageStore.records}); ENVELOPE, BODY, BODYSTRUCTURE and
 * RFC822.SIZE from the summaries precomputed at delivery ({@code MessageStore.summaries}, one call per batch;
 * RFC822.SIZE from the records when no summary is needed). A section reads only its octet range, located by the
 * summary ({@code MessageStore.content(mailbox, uid, from, to)}; a partial {@code <origin.octets>} only that part
 * of it; {@code HEADER.FIELDS} the header it selects from), so a header fetch of a large message reads its
 * header only. {@code BODY[]} / {@code RFC822} without a partial read the whole message once, and the other
 * sections asked with it are cut from it.
 *
 * <p>A non-PEEK body fetch sets {@code \Seen} first (not in a mailbox opened with EXAMINE) and the response
 * then carries the new FLAGS. Messages expunged by another session meanwhile are left out and the answer is
 * {@code NO [EXPUNGEISSUED]} (RFC 2180 section 4.1.2); no EXPUNGE is sent during FETCH (RFC 3501 section
 * 7.4.1). Content is read one message at a time and the next one only once the socket has room, so memory
 * stays bounded by one message however many are fetched.
 *
 * <p>CONDSTORE/QRESYNC (RFC 7162, {@link FetchModifiers}): {@code MODSEQ} comes from the records; with
 * {@code (CHANGEDSINCE n)} only messages with a higher MODSEQ are answered, each with its MODSEQ; with
 * {@code VANISHED} (UID FETCH) a {@code * VANISHED (EARLIER)} comes first. When a record shows flags newer than
 * the session's view, the response carries them (so a MODSEQ is never sent with older flags). {@code \Recent}
 * appears in FLAGS for the messages this session claimed.
 *
 * @param set        the messages, as MSNs or (UID FETCH) UIDs
 * @param uid        whether this is UID FETCH
 * @param attributes the data items, in the client's order
 * @param modifiers  the RFC 7162 modifiers (CHANGEDSINCE, VANISHED), {@link FetchModifiers#NONE} when none
 */
public record FetchCommand(String tag, SequenceSet set, boolean uid, List<FetchAttribute> attributes,
                           FetchModifiers modifiers) implements MessageSetCommand {

    /** Messages per store call for records and flag updates. */
    private static final int BATCH = 500;
    /**
     * Messages per summaries call: a summary is usually under 1 KiB but up to ~20 octets per MIME part (a
     * hostile 10,000-part message: 200 KiB), so fewer per batch keep a batch's memory bounded.
     */
    private static final int SUMMARY_BATCH = 100;
    private static final byte[] EMPTY = new byte[0];
    /** Messages whose section reads run ahead of the one being answered (see {@code ReadAhead}). */
    private static final int READ_AHEAD = 8;
    /** Estimated octets those reads may hold at once; a message larger than this is read alone. */
    private static final long READ_AHEAD_OCTETS = 1 << 20;

    public FetchCommand {
        attributes = List.copyOf(attributes);
    }

    /** A FETCH without modifiers. */
    public FetchCommand(String tag, SequenceSet set, boolean uid, List<FetchAttribute> attributes) {
        this(tag, set, uid, attributes, FetchModifiers.NONE);
    }

    /**
     * Reads {@code sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")")}.
     */
    public static FetchCommand parse(String tag, CommandReader args, boolean uid) throws ParseException {
        args.sp();
        SequenceSet set = SequenceSet.parse(args.token(SequenceSet::isSequenceChar, "a sequence set"));
        args.sp();
        List<FetchAttribute> attributes = new ArrayList<>();
        if (args.tryConsume('(')) {
            do {
                attributes.add(FetchAttribute.parse(name(args), args));
            } while (args.tryConsume(' '));
            args.expect(')');
        } else {
            String name = name(args);
            List<FetchAttribute> macro = FetchAttribute.macro(name);
            attributes.addAll(macro != null ? macro : List.of(FetchAttribute.parse(name, args)));
        }
        FetchModifiers modifiers = FetchModifiers.parse(args);
        args.end();
        return new FetchCommand(tag, set, uid, attributes, modifiers);
    }

    private static String name(CommandReader args) throws ParseException {
        return args.token(FetchAttribute::isNameChar, "a FETCH attribute").toUpperCase(Locale.ROOT);
    }

    @Override
    public String name() {
        return uid ? "UID FETCH" : "FETCH";
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session, SelectedMailbox selected, int[] msns) {
        StatusResponse refused = modifiers.check(session, tag, uid);
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        if (attributes.contains(FetchAttribute.Simple.MODSEQ)) {
            session.enableCondstore(); // RFC 7162 section 3.1: a CONDSTORE-enabling command
        }
        Run run = new Run(session, selected, msns, items());
        run.changedSince = modifiers.changedSince();
        return modifiers.reportVanished(session, selected, set).thenCompose(v -> run.markSeen(0))
                .thenCompose(v -> run.chunk(0)).thenApply(v -> run.missing == 0
                ? StatusResponse.ok(tag, name() + " completed")
                : StatusResponse.no(tag, ResponseCode.EXPUNGEISSUED,
                        "Some messages were expunged by another session"));
    }

    /**
     * The attributes to answer: those asked, with UID first for UID FETCH when not asked, and MODSEQ last with
     * CHANGEDSINCE when not asked (RFC 7162 section 3.1.4.1).
     */
    private List<FetchAttribute> items() {
        boolean addUid = uid && !attributes.contains(FetchAttribute.Simple.UID);
        boolean addModSeq = modifiers.changedSince() >= 0 && !attributes.contains(FetchAttribute.Simple.MODSEQ);
        if (!addUid && !addModSeq) {
            return attributes;
        }
        List<FetchAttribute> all = new ArrayList<>(attributes.size() + 2);
        if (addUid) {
            all.add(FetchAttribute.Simple.UID);
        }
        all.addAll(attributes);
        if (addModSeq) {
            all.add(FetchAttribute.Simple.MODSEQ);
        }
        return all;
    }

    /** One execution: walks the messages in batches, asynchronously, on the session's event loop. */
    private static final class Run {
        final ImapSession session;
        final SelectedMailbox selected;
        final MessageStore store;
        final MailboxId mailbox;
        final int[] msns;
        final List<FetchAttribute> items;
        /** The section attributes among the items, in order. */
        final List<FetchAttribute.Section> sections = new ArrayList<>();
        final boolean setsSeen;
        /** INTERNALDATE, or RFC822.SIZE when no summary is read: the records of the batch. */
        final boolean needsRecord;
        /** ENVELOPE, BODY, BODYSTRUCTURE, RFC822.SIZE and section ranges: the summaries of the batch. */
        final boolean needsSummary;
        /** BODY[] or RFC822 without a partial range: the whole content of each message. */
        final boolean needsWholeContent;
        final boolean asksFlags;
        final int batch;
        /** MSNs whose flags this FETCH changed (set \Seen), to report them. */
        final BitSet flagsChanged = new BitSet();
        int missing;
        /** CHANGEDSINCE: messages with a MODSEQ up to this are left out; -1 for none. */
        long changedSince = -1;

        Run(ImapSession session, SelectedMailbox selected, int[] msns, List<FetchAttribute> items) {
            this.session = session;
            this.selected = selected;
            this.store = session.services().messages();
            this.mailbox = selected.mailbox().id();
            this.msns = msns;
            this.items = items;
            boolean seen = false;
            boolean summary = false;
            boolean whole = false;
            for (FetchAttribute a : items) {
                if (a instanceof FetchAttribute.Section s) {
                    sections.add(s);
                    seen |= !s.peek();
                    boolean wholeMessage = s.section().equals(BodySection.WHOLE);
                    whole |= wholeMessage && s.offset() < 0;
                    summary |= !wholeMessage;
                } else if (a == FetchAttribute.Simple.ENVELOPE || a == FetchAttribute.Simple.BODY
                        || a == FetchAttribute.Simple.BODYSTRUCTURE) {
                    summary = true;
                }
            }
            this.setsSeen = seen && !selected.readOnly();
            this.needsSummary = summary;
            this.needsRecord = items.contains(FetchAttribute.Simple.INTERNALDATE)
                    || items.contains(FetchAttribute.Simple.MODSEQ)
                    || (!summary && items.contains(FetchAttribute.Simple.RFC822_SIZE));
            this.needsWholeContent = whole;
            this.asksFlags = items.contains(FetchAttribute.Simple.FLAGS);
            this.batch = summary ? SUMMARY_BATCH : BATCH;
        }

        /** Sets \Seen on the fetched messages that lack it, a batch at a time. */
        CompletionStage<Void> markSeen(int from) {
            if (!setsSeen) {
                return CompletableFuture.completedFuture(null);
            }
            List<Long> unseen = new ArrayList<>();
            int i = from;
            while (i < msns.length && unseen.size() < BATCH) {
                if (!selected.flags(msns[i]).contains(Flags.SEEN)) {
                    unseen.add(selected.uid(msns[i]));
                }
                i++;
            }
            if (unseen.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            int next = i;
            FlagUpdate seen = new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN));
            return session.onEventLoop(store.updateFlags(mailbox, unseen, seen)).thenCompose(records -> {
                for (MessageRecord r : records) {
                    int msn = selected.msn(r.uid());
                    if (msn > 0 && !r.flags().equals(selected.flags(msn))) {
                        selected.setFlags(msn, r.flags());
                        selected.observeModSeq(r.modSeq());
                        flagsChanged.set(msn);
                    }
                }
                return markSeen(next);
            });
        }

        /** Answers the messages from index {@code from}, one batch, then the next. */
        CompletionStage<Void> chunk(int from) {
            if (from >= msns.length) {
                return CompletableFuture.completedFuture(null);
            }
            int to = Math.min(msns.length, from + batch);
            List<Long> uids = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                uids.add(selected.uid(msns[i]));
            }
            CompletionStage<Map<Long, MessageRecord>> records = needsRecord
                    ? session.onEventLoop(store.records(mailbox, uids)).thenApply(list -> {
                        Map<Long, MessageRecord> byUid = new HashMap<>();
                        list.forEach(r -> byUid.put(r.uid(), r));
                        return byUid;
                    })
                    : CompletableFuture.completedFuture(Map.of());
            CompletionStage<Map<Long, MessageSummary>> summaries = needsSummary
                    ? session.onEventLoop(store.summaries(mailbox, uids))
                    : CompletableFuture.completedFuture(Map.of());
            return records.thenCombine(summaries, (r, s) -> new Object[] {r, s})
                    .thenCompose(both -> messages(from, to, cast(both[0]), cast(both[1])))
                    .thenCompose(v -> session.whenWritable())
                    .thenCompose(v -> chunk(to));
        }

        @SuppressWarnings("unchecked")
        private static <T> T cast(Object o) {
            return (T) o;
        }

        private CompletionStage<Void> messages(int from, int to, Map<Long, MessageRecord> records,
                                               Map<Long, MessageSummary> summaries) {
            if (sections.isEmpty()) {
                for (int i = from; i < to; i++) {
                    int msn = msns[i];
                    long uid = selected.uid(msn);
                    MessageRecord record = records.get(uid);
                    MessageSummary summary = summaries.get(uid);
                    if (answerable(record, summary)) {
                        session.send(new FetchResponse(msn, build(msn, uid, record, summary, List.of())));
                    }
                }
                return CompletableFuture.completedFuture(null);
            }
            return new ReadAhead(from, to, records, summaries).next();
        }

        /** False (and counted as missing) when the message is gone; false when CHANGEDSINCE leaves it out. */
        private boolean answerable(MessageRecord record, MessageSummary summary) {
            if ((needsRecord && record == null) || (needsSummary && summary == null)) {
                missing++;
                return false;
            }
            // unchanged since the client's MODSEQ (RFC 7162 section 3.1.4.1)
            return changedSince < 0 || record.modSeq() > changedSince;
        }

        /**
         * The section reads of one batch, answered in MSN order while up to {@value #READ_AHEAD} later messages'
         * reads are already under way, so the store round trips of small messages overlap. The estimated octets
         * in flight stay under {@value #READ_AHEAD_OCTETS} (a large message is read alone). Event loop only.
         */
        private final class ReadAhead {
            private final int to;
            private final Map<Long, MessageRecord> records;
            private final Map<Long, MessageSummary> summaries;
            private final ArrayDeque<PendingRead> pending = new ArrayDeque<>();
            private int cursor;
            private long octetsInFlight;

            ReadAhead(int from, int to, Map<Long, MessageRecord> records, Map<Long, MessageSummary> summaries) {
                this.cursor = from;
                this.to = to;
                this.records = records;
                this.summaries = summaries;
            }

            CompletionStage<Void> next() {
                while (cursor < to && pending.size() < READ_AHEAD) {
                    int msn = msns[cursor];
                    long uid = selected.uid(msn);
                    MessageRecord record = records.get(uid);
                    MessageSummary summary = summaries.get(uid);
                    long octets = estimate(record, summary);
                    if (!pending.isEmpty() && octetsInFlight + octets > READ_AHEAD_OCTETS) {
                        break;
                    }
                    cursor++;
                    if (answerable(record, summary)) {
                        octetsInFlight += octets;
                        pending.add(new PendingRead(msn, uid, record, summary, octets,
                                sectionOctets(uid, summary)));
                    }
                }
                PendingRead head = pending.poll();
                if (head == null) {
                    return CompletableFuture.completedFuture(null);
                }
                return head.octets().thenCompose(octets -> {
                    octetsInFlight -= head.estimate();
                    respond(head.msn(), head.uid(), head.record(), head.summary(), octets);
                    return session.whenWritable();
                }).thenCompose(v -> next());
            }

            /** The octets the sections of one message will read: their ranges, or the whole size. */
            private long estimate(MessageRecord record, MessageSummary summary) {
                long size = summary != null ? summary.size() : record != null ? record.size() : READ_AHEAD_OCTETS;
                if (needsWholeContent || summary == null) {
                    return size;
                }
                long total = 0;
                for (FetchAttribute.Section s : sections) {
                    SectionRead read = SectionRead.plan(s, summary);
                    if (read != null) {
                        total += Math.min(read.to(), size) - Math.min(read.from(), size);
                    }
                }
                return total;
            }
        }

        /** One message's section read under way. */
        private record PendingRead(int msn, long uid, MessageRecord record, MessageSummary summary, long estimate,
                                   CompletionStage<Optional<List<byte[]>>> octets) {
        }

        private void respond(int msn, long uid, MessageRecord record, MessageSummary summary,
                             Optional<List<byte[]>> octets) {
            if (octets.isEmpty()) {
                missing++;
                return;
            }
            session.send(new FetchResponse(msn, build(msn, uid, record, summary, octets.get())));
            session.flush();
        }

        /**
         * The octets of each asked section of one message, in order; empty when the message no longer exists.
         * With a whole-content item the content is read once and sliced by the summary's ranges; otherwise each
         * section reads only its range (a partial only its part of it), one range read after the other.
         */
        private CompletionStage<Optional<List<byte[]>>> sectionOctets(long uid, MessageSummary summary) {
            if (needsWholeContent) {
                return session.onEventLoop(store.content(mailbox, uid)).thenApply(content -> content.map(c -> {
                    List<byte[]> out = new ArrayList<>(sections.size());
                    for (FetchAttribute.Section s : sections) {
                        out.add(s.slice(s.section().equals(BodySection.WHOLE) ? c : section(s, c, summary)));
                    }
                    return out;
                }));
            }
            return readSections(uid, summary, 0, new ArrayList<>(sections.size()));
        }

        private CompletionStage<Optional<List<byte[]>>> readSections(long uid, MessageSummary summary, int index,
                                                                     List<byte[]> out) {
            if (index == sections.size()) {
                return CompletableFuture.completedFuture(Optional.of(out));
            }
            FetchAttribute.Section s = sections.get(index);
            SectionRead read = SectionRead.plan(s, summary);
            if (read == null) {
                out.add(EMPTY);
                return readSections(uid, summary, index + 1, out);
            }
            return session.onEventLoop(store.content(mailbox, uid, read.from(), read.to())).thenCompose(octets -> {
                if (octets.isEmpty()) {
                    return CompletableFuture.completedFuture(Optional.empty());
                }
                out.add(read.selectFields() ? s.slice(MessageSummary.section(s.section(), octets.get()))
                        : octets.get());
                return readSections(uid, summary, index + 1, out);
            });
        }

        /** A section, before its partial range, cut from the whole content by the summary's range. */
        private static byte[] section(FetchAttribute.Section s, byte[] content, MessageSummary summary) {
            Optional<MessageSummary.Range> range = summary.range(s.section());
            if (range.isEmpty()) {
                return EMPTY;
            }
            int from = (int) Math.min(content.length, range.get().from());
            int to = (int) Math.min(content.length, range.get().to());
            return MessageSummary.section(s.section(), Arrays.copyOfRange(content, from, to));
        }

        private List<FetchItem> build(int msn, long uid, MessageRecord record, MessageSummary summary,
                                      List<byte[]> sectionOctets) {
            if (record != null && !record.flags().equals(selected.flags(msn))) {
                // Changed elsewhere since the view was synchronized: report the flags the MODSEQ belongs to.
                selected.setFlags(msn, record.flags());
                flagsChanged.set(msn);
            }
            List<FetchItem> out = new ArrayList<>(items.size() + 1);
            int section = 0;
            for (FetchAttribute a : items) {
                if (a instanceof FetchAttribute.Section s) {
                    out.add(new FetchItem.SectionItem(s.responseLabel(), sectionOctets.get(section++)));
                    continue;
                }
                switch ((FetchAttribute.Simple) a) {
                    case FLAGS -> out.add(new FetchItem.FlagsItem(selected.flags(msn), selected.recent(msn)));
                    case MODSEQ -> out.add(new FetchItem.ModSeqItem(record.modSeq()));
                    case UID -> out.add(new FetchItem.UidItem(uid));
                    case INTERNALDATE -> out.add(new FetchItem.InternalDateItem(record.internalDate()));
                    case RFC822_SIZE ->
                            out.add(new FetchItem.SizeItem(record != null ? record.size() : summary.size()));
                    case ENVELOPE -> out.add(new FetchItem.EnvelopeItem(summary.envelope()));
                    case BODYSTRUCTURE -> out.add(new FetchItem.BodyStructureItem(summary.bodyStructure(), true));
                    case BODY -> out.add(new FetchItem.BodyStructureItem(summary.bodyStructure(), false));
                }
            }
            if (!asksFlags && flagsChanged.get(msn)) {
                out.add(new FetchItem.FlagsItem(selected.flags(msn), selected.recent(msn)));
            }
            return out;
        }
    }

    /**
     * The one range read that answers a section without the whole content: the section's range from the
     * summary narrowed to its partial range, or for {@code HEADER.FIELDS (.NOT)} the header to select from.
     *
     * @param from         first octet of the message to read
     * @param to           end (exclusive); the store clamps it to the message size
     * @param selectFields whether the octets are a header to select fields from (then the partial applies after)
     */
    private record SectionRead(long from, long to, boolean selectFields) {

        /** The read for {@code s}, or null when the answer is empty without reading anything. */
        static SectionRead plan(FetchAttribute.Section s, MessageSummary summary) {
            long from;
            long to;
            if (s.section().equals(BodySection.WHOLE)) {
                from = 0;
                to = Long.MAX_VALUE; // only with a partial range, applied below
            } else {
                Optional<MessageSummary.Range> range = summary.range(s.section());
                if (range.isEmpty()) {
                    return null;
                }
                from = range.get().from();
                to = range.get().to();
            }
            BodySection.Kind kind = s.section().kind();
            if (kind == BodySection.Kind.HEADER_FIELDS || kind == BodySection.Kind.HEADER_FIELDS_NOT) {
                return new SectionRead(from, to, true);
            }
            if (s.offset() >= 0) {
                long start = from + s.offset();
                to = Math.min(to, start + s.length());
                from = start;
            }
            return from >= to ? null : new SectionRead(from, to, false);
        }
    }
}
