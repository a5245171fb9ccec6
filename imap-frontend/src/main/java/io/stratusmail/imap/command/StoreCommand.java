package io.stratusmail.imap.command;

import io.stratusmail.imap.fetch.FetchItem;
import io.stratusmail.imap.fetch.FetchResponse;
import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.protocol.SequenceSet;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.MessageSetCommand;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.FlagUpdateResult;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * STORE and UID STORE sequence-set [(UNCHANGEDSINCE modseq)] [+|-]FLAGS[.SILENT] flags (RFC 3501 sections 6.4.6
 * and 6.4.8, RFC 7162 section 3.1.3). Answers {@code * n FETCH (FLAGS (...))} for each message (with its UID for
 * UID STORE) unless {@code .SILENT}; once CONDSTORE is enabled (UNCHANGEDSINCE enables it) each response also
 * carries {@code MODSEQ (m)}, and with {@code .SILENT} a message whose flags changed still gets
 * {@code * n FETCH (MODSEQ (m))}. With UNCHANGEDSINCE, messages changed after that MODSEQ are left alone and
 * listed in {@code tag OK [MODIFIED set]} (MSNs, or UIDs for UID STORE). {@code \Recent} cannot be stored
 * ({@code BAD}); in a mailbox opened with EXAMINE the answer is {@code NO}. Messages expunged by another session
 * meanwhile are skipped and the answer is {@code NO [EXPUNGEISSUED]}. No EXPUNGE is sent (RFC 3501 section 7.4.1).
 *
 * @param set            the messages, as MSNs or (for UID STORE) UIDs
 * @param uid            whether this is UID STORE
 * @param update         what to do with which flags
 * @param silent         whether {@code .SILENT} was given
 * @param unchangedSince the UNCHANGEDSINCE MODSEQ (0 or more), or -1 when not given
 */
public record StoreCommand(String tag, SequenceSet set, boolean uid, FlagUpdate update, boolean silent,
                           long unchangedSince) implements MessageSetCommand {

    /** UIDs per store call, to bound one request's size. */
    private static final int BATCH = 1000;

    static StoreCommand parse(String tag, CommandReader args, boolean uid) throws ParseException {
        args.sp();
        SequenceSet set = SequenceSet.parse(args.token(SequenceSet::isSequenceChar, "a sequence set"));
        args.sp();
        long unchangedSince = -1;
        if (args.tryConsume('(')) {
            if (!args.tryKeyword("UNCHANGEDSINCE")) {
                throw new ParseException("Unknown STORE modifier: only UNCHANGEDSINCE is supported");
            }
            args.sp();
            unchangedSince = args.number(SelectCommand.MAX_MODSEQ);
            args.expect(')');
            args.sp();
        }
        String item = args.token(c -> Character.isLetter(c) || c == '.' || c == '+' || c == '-', "FLAGS")
                .toUpperCase(Locale.ROOT);
        FlagUpdate.Mode mode = FlagUpdate.Mode.REPLACE;
        if (item.startsWith("+") || item.startsWith("-")) {
            mode = item.charAt(0) == '+' ? FlagUpdate.Mode.ADD : FlagUpdate.Mode.REMOVE;
            item = item.substring(1);
        }
        boolean silent = item.equals("FLAGS.SILENT");
        if (!silent && !item.equals("FLAGS")) {
            throw new ParseException("Expected FLAGS, +FLAGS or -FLAGS, optionally .SILENT");
        }
        args.sp();
        Flags flags = flags(args);
        args.end();
        return new StoreCommand(tag, set, uid, new FlagUpdate(mode, flags), silent, unchangedSince);
    }

    /** {@code flag-list} or {@code flag *(SP flag)}; {@code \Recent} and unknown system flags are refused. */
    static Flags flags(CommandReader args) throws ParseException {
        List<String> list = new ArrayList<>();
        boolean parenthesized = args.tryConsume('(');
        if (!parenthesized || !args.tryConsume(')')) {
            do {
                boolean system = args.tryConsume('\\');
                list.add(system ? "\\" + args.atom() : args.atom());
            } while (args.tryConsume(' '));
            if (parenthesized) {
                args.expect(')');
            }
        }
        for (String f : list) {
            if (f.equalsIgnoreCase(Flags.RECENT)) {
                throw new ParseException("\\Recent cannot be stored: the server sets it");
            }
        }
        try {
            return Flags.of(list);
        } catch (IllegalArgumentException e) {
            throw new ParseException("Invalid flag: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return uid ? "UID STORE" : "STORE";
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session, SelectedMailbox selected, int[] msns) {
        if (selected.readOnly()) {
            return CompletableFuture.completedFuture(StatusResponse.readOnly(tag));
        }
        if (unchangedSince >= 0) {
            session.enableCondstore();
        }
        return batch(session, selected, msns, 0, 0, new ArrayList<>());
    }

    private CompletionStage<StatusResponse> batch(ImapSession session, SelectedMailbox selected, int[] msns,
                                                  int from, int missing, List<Long> modified) {
        if (from >= msns.length) {
            if (!modified.isEmpty()) {
                return CompletableFuture.completedFuture(StatusResponse.ok(tag, ResponseCode.modified(modified),
                        "Conditional STORE failed for some messages"));
            }
            return CompletableFuture.completedFuture(missing == 0
                    ? StatusResponse.ok(tag, name() + " completed")
                    : StatusResponse.no(tag, ResponseCode.EXPUNGEISSUED,
                            "Some messages were expunged by another session"));
        }
        int to = Math.min(msns.length, from + BATCH);
        List<Long> uids = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            uids.add(selected.uid(msns[i]));
        }
        MessageStore store = session.services().messages();
        CompletionStage<FlagUpdateResult> stored = unchangedSince < 0
                ? store.updateFlags(selected.mailbox().id(), uids, update).thenApply(r -> new FlagUpdateResult(r,
                        List.of()))
                : store.updateFlags(selected.mailbox().id(), uids, update, unchangedSince);
        return session.onEventLoop(stored).thenCompose(result -> {
            boolean condstore = session.condstoreEnabled();
            for (MessageRecord r : result.updated()) {
                int msn = selected.msn(r.uid());
                if (msn == 0) {
                    continue;
                }
                boolean changed = !r.flags().equals(selected.flags(msn));
                selected.setFlags(msn, r.flags());
                selected.observeModSeq(r.modSeq());
                if (silent && !(condstore && changed)) {
                    continue;
                }
                List<FetchItem> items = new ArrayList<>(3);
                if (!silent) {
                    items.add(new FetchItem.FlagsItem(r.flags(), selected.recent(msn)));
                }
                if (uid) {
                    items.add(new FetchItem.UidItem(r.uid()));
                }
                if (condstore) {
                    items.add(new FetchItem.ModSeqItem(r.modSeq()));
                }
                session.send(new FetchResponse(msn, items));
            }
            for (long m : result.modified()) {
                int msn = selected.msn(m);
                if (msn > 0) {
                    modified.add(uid ? m : msn);
                }
            }
            int found = result.updated().size() + result.modified().size();
            return batch(session, selected, msns, to, missing + uids.size() - found, modified);
        });
    }
}
