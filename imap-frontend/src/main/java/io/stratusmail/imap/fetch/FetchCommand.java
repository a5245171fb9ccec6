package io.stratusmail.imap.fetch;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.protocol.SequenceSet;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.mime.BodySection;
import io.stratusmail.mailbox.mime.ParsedMessage;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageRecord;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * FETCH and UID FETCH sequence-set attributes (RFC 3501 sections 6.4.5 and 6.4.8): one
 * {@code * msn FETCH (...)} per message, items in the order asked, with {@code UID} always included for
 * UID FETCH. FLAGS and UID come from the session's view; INTERNALDATE and RFC822.SIZE from the store's
 * records; ENVELOPE, BODY, BODYSTRUCTURE and sections from the message content, parsed once per message.
 *
 * <p>A non-PEEK body fetch sets {@code \Seen} first (not in a mailbox opened with EXAMINE) and the response
 * then carries the new FLAGS. Messages expunged by another session meanwhile are left out and the answer is
 * {@code NO [EXPUNGEISSUED]} (RFC 2180 section 4.1.2); no EXPUNGE is sent during FETCH (RFC 3501 section
 * 7.4.1). Content is read one message at a time and the next one only once the socket has room, so memory
 * stays bounded by one message however many are fetched.
 *
 * @param set        the messages, as MSNs or (UID FETCH) UIDs
 * @param uid        whether this is UID FETCH
 * @param attributes the data items, in the client's order
 */
public record FetchCommand(String tag, SequenceSet set, boolean uid, List<FetchAttribute> attributes)
        implements ImapCommand {

    /** Messages per store call for records and flag updates. */
    private static final int BATCH = 500;

    public FetchCommand {
        attributes = List.copyOf(attributes);
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
        args.end();
        return new FetchCommand(tag, set, uid, attributes);
    }

    private static String name(CommandReader args) throws ParseException {
        return args.token(FetchAttribute::isNameChar, "a FETCH attribute").toUpperCase(Locale.ROOT);
    }

    @Override
    public String name() {
        return uid ? "UID FETCH" : "FETCH";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.SELECTED_ONLY;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        SelectedMailbox selected = session.selected();
        int[] msns;
        try {
            msns = selected.resolve(set, uid);
        } catch (ParseException e) {
            return CompletableFuture.completedFuture(StatusResponse.bad(tag, e.getMessage()));
        }
        Run run = new Run(session, selected, msns, items());
        return run.markSeen(0).thenCompose(v -> run.chunk(0)).thenApply(v -> run.missing == 0
                ? StatusResponse.ok(tag, name() + " completed")
                : StatusResponse.no(tag, ResponseCode.EXPUNGEISSUED,
                        "Some messages were expunged by another session"));
    }

    /** The attributes to answer: those asked, with UID first for UID FETCH when not asked. */
    private List<FetchAttribute> items() {
        if (!uid || attributes.contains(FetchAttribute.Simple.UID)) {
            return attributes;
        }
        List<FetchAttribute> all = new ArrayList<>(attributes.size() + 1);
        all.add(FetchAttribute.Simple.UID);
        all.addAll(attributes);
        return all;
    }

    /** One execution: walks the messages in batches, asynchronously, on the session's event loop. */
    private static final class Run {
        final ImapSession session;
        final SelectedMailbox selected;
        final int[] msns;
        final List<FetchAttribute> items;
        final boolean setsSeen;
        final boolean needsRecord;
        final boolean needsContent;
        final boolean needsParse;
        final boolean asksFlags;
        /** MSNs whose flags this FETCH changed (set \Seen), to report them. */
        final BitSet flagsChanged = new BitSet();
        int missing;

        Run(ImapSession session, SelectedMailbox selected, int[] msns, List<FetchAttribute> items) {
            this.session = session;
            this.selected = selected;
            this.msns = msns;
            this.items = items;
            boolean seen = false;
            boolean record = false;
            boolean content = false;
            boolean parse = false;
            for (FetchAttribute a : items) {
                if (a instanceof FetchAttribute.Section s) {
                    seen |= !s.peek();
                    content = true;
                    parse |= !s.section().equals(BodySection.WHOLE);
                } else if (a == FetchAttribute.Simple.INTERNALDATE || a == FetchAttribute.Simple.RFC822_SIZE) {
                    record = true;
                } else if (a != FetchAttribute.Simple.FLAGS && a != FetchAttribute.Simple.UID) {
                    content = true;
                    parse = true;
                }
            }
            this.setsSeen = seen && !selected.readOnly();
            this.needsRecord = record;
            this.needsContent = content;
            this.needsParse = parse;
            this.asksFlags = items.contains(FetchAttribute.Simple.FLAGS);
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
            return session.onEventLoop(session.services().messages().updateFlags(selected.mailbox().id(), unseen,
                    seen)).thenCompose(records -> {
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
            int to = Math.min(msns.length, from + BATCH);
            CompletionStage<Map<Long, MessageRecord>> records;
            if (needsRecord) {
                List<Long> uids = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    uids.add(selected.uid(msns[i]));
                }
                records = session.onEventLoop(session.services().messages().records(selected.mailbox().id(), uids))
                        .thenApply(list -> {
                            Map<Long, MessageRecord> byUid = new HashMap<>();
                            list.forEach(r -> byUid.put(r.uid(), r));
                            return byUid;
                        });
            } else {
                records = CompletableFuture.completedFuture(Map.of());
            }
            return records.thenCompose(byUid -> messages(from, to, byUid))
                    .thenCompose(v -> session.whenWritable())
                    .thenCompose(v -> chunk(to));
        }

        private CompletionStage<Void> messages(int from, int to, Map<Long, MessageRecord> records) {
            for (int i = from; i < to; i++) {
                int msn = msns[i];
                long uid = selected.uid(msn);
                MessageRecord record = records.get(uid);
                if (needsRecord && record == null) {
                    missing++;
                    continue;
                }
                if (needsContent) {
                    int next = i + 1;
                    return session.onEventLoop(session.services().messages().content(selected.mailbox().id(), uid))
                            .thenCompose(content -> {
                                respond(msn, uid, record, content);
                                return session.whenWritable();
                            })
                            .thenCompose(v -> messages(next, to, records));
                }
                session.send(new FetchResponse(msn, build(msn, uid, record, null, null)));
            }
            return CompletableFuture.completedFuture(null);
        }

        private void respond(int msn, long uid, MessageRecord record, Optional<byte[]> content) {
            if (content.isEmpty()) {
                missing++;
                return;
            }
            byte[] octets = content.get();
            ParsedMessage parsed = needsParse ? ParsedMessage.parse(octets) : null;
            session.send(new FetchResponse(msn, build(msn, uid, record, octets, parsed)));
            session.flush();
        }

        private List<FetchItem> build(int msn, long uid, MessageRecord record, byte[] content, ParsedMessage parsed) {
            List<FetchItem> out = new ArrayList<>(items.size() + 1);
            for (FetchAttribute a : items) {
                if (a instanceof FetchAttribute.Section s) {
                    byte[] octets = s.section().equals(BodySection.WHOLE) ? content : parsed.section(s.section());
                    out.add(new FetchItem.SectionItem(s.responseLabel(), s.slice(octets)));
                    continue;
                }
                switch ((FetchAttribute.Simple) a) {
                    case FLAGS -> out.add(new FetchItem.FlagsItem(selected.flags(msn)));
                    case UID -> out.add(new FetchItem.UidItem(uid));
                    case INTERNALDATE -> out.add(new FetchItem.InternalDateItem(record.internalDate()));
                    case RFC822_SIZE -> out.add(new FetchItem.SizeItem(record.size()));
                    case ENVELOPE -> out.add(new FetchItem.EnvelopeItem(parsed.envelope()));
                    case BODYSTRUCTURE -> out.add(new FetchItem.BodyStructureItem(parsed.bodyStructure(), true));
                    case BODY -> out.add(new FetchItem.BodyStructureItem(parsed.bodyStructure(), false));
                }
            }
            if (!asksFlags && flagsChanged.get(msn)) {
                out.add(new FetchItem.FlagsItem(selected.flags(msn)));
            }
            return out;
        }
    }
}
