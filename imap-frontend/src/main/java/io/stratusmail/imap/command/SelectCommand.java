package io.stratusmail.imap.command;

import io.stratusmail.imap.fetch.FetchItem;
import io.stratusmail.imap.fetch.FetchResponse;
import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.protocol.SequenceSet;
import io.stratusmail.imap.response.ExistsResponse;
import io.stratusmail.imap.response.FlagsResponse;
import io.stratusmail.imap.response.RecentResponse;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.response.VanishedResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.MailboxChanges;
import io.stratusmail.mailbox.message.MailboxSnapshot;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.RecentRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SELECT and EXAMINE mailbox [(CONDSTORE) | (QRESYNC (uidvalidity modseq [known-uids [seq-match-data]]))]
 * (RFC 3501 sections 6.3.1 and 6.3.2, RFC 7162 sections 3.1.8 and 3.2.5). Answers {@code * FLAGS},
 * {@code * OK [PERMANENTFLAGS]}, {@code * n EXISTS}, {@code * n RECENT}, {@code * OK [UNSEEN n]} (when a message is
 * unseen), {@code * OK [UIDVALIDITY]}, {@code * OK [UIDNEXT]}, {@code * OK [HIGHESTMODSEQ]} (always, positive even
 * for a mailbox that never changed; this server always has MODSEQs, so never NOMODSEQ) and {@code tag OK [READ-WRITE]} or
 * {@code [READ-ONLY]}; an unknown mailbox gets {@code NO [NONEXISTENT]}. Any previously selected mailbox is
 * deselected first, even when this fails, and {@code * OK [CLOSED]} says so (RFC 7162 section 3.2.11).
 *
 * <p>{@code \Recent} (RFC 3501 section 2.3.2): SELECT claims the messages no session has seen yet, which are then
 * {@code \Recent} in this session only; EXAMINE claims nothing (it must not change the mailbox's state, section
 * 6.3.2), so it reports {@code * 0 RECENT}.
 *
 * <p>CONDSTORE turns CONDSTORE on for the connection. QRESYNC needs {@code ENABLE QRESYNC} first (else
 * {@code BAD}); when the UIDVALIDITY matches it adds {@code * VANISHED (EARLIER) uids} for the known UIDs expunged
 * after {@code modseq} (all known UIDs not in the mailbox when the store no longer remembers that far back) and
 * {@code * n FETCH (UID u FLAGS (...) MODSEQ (m))} for every message changed after it. seq-match-data is checked
 * for syntax and otherwise not needed (the store keeps expunges).
 *
 * @param mailbox  the mailbox to open
 * @param readOnly true for EXAMINE
 * @param condstore whether {@code (CONDSTORE)} was given
 * @param qresync  the QRESYNC parameter, or null
 */
public record SelectCommand(String tag, MailboxName mailbox, boolean readOnly, boolean condstore, Qresync qresync)
        implements ImapCommand {

    private static final List<String> PERMANENT = List.of("\\Answered", "\\Flagged", "\\Deleted", "\\Seen",
            "\\Draft");
    /** Largest mod-sequence-value (RFC 7162 section 7: 63 bits). */
    static final long MAX_MODSEQ = Long.MAX_VALUE;

    /**
     * The QRESYNC select parameter.
     *
     * @param uidValidity the client's last known UIDVALIDITY
     * @param modSeq      the client's last known HIGHESTMODSEQ
     * @param knownUids   the UIDs the client knows, or null for all
     */
    public record Qresync(long uidValidity, long modSeq, SequenceSet knownUids) {
    }

    static SelectCommand parse(String tag, CommandReader args, boolean readOnly) throws ParseException {
        args.sp();
        MailboxName name = MailboxArgument.name(args.astring());
        boolean condstore = false;
        Qresync qresync = null;
        if (args.tryConsume(' ')) {
            args.expect('(');
            do {
                String param = args.atom().toUpperCase(Locale.ROOT);
                if (param.equals("CONDSTORE") && !condstore) {
                    condstore = true;
                } else if (param.equals("QRESYNC") && qresync == null) {
                    args.sp();
                    qresync = qresync(args);
                } else {
                    throw new ParseException("Unknown or repeated SELECT parameter " + param);
                }
            } while (args.tryConsume(' '));
            args.expect(')');
        }
        args.end();
        return new SelectCommand(tag, name, readOnly, condstore, qresync);
    }

    /** {@code "(" uidvalidity SP mod-sequence-value [SP known-uids [SP seq-match-data]] ")"}. */
    private static Qresync qresync(CommandReader args) throws ParseException {
        args.expect('(');
        long uidValidity = args.number(SequenceSet.MAX_NUMBER);
        args.sp();
        long modSeq = args.number(MAX_MODSEQ);
        if (uidValidity == 0 || modSeq == 0) {
            throw new ParseException("QRESYNC needs a non-zero UIDVALIDITY and MODSEQ");
        }
        SequenceSet known = null;
        if (args.tryConsume(' ')) {
            if (args.peek() != '(') {
                known = SequenceSet.parse(args.token(SequenceSet::isSequenceChar, "known UIDs"));
                args.tryConsume(' ');
            }
            if (args.tryConsume('(')) {
                SequenceSet.parse(args.token(SequenceSet::isSequenceChar, "known sequence set"));
                args.sp();
                SequenceSet.parse(args.token(SequenceSet::isSequenceChar, "known UID set"));
                args.expect(')');
            }
        }
        args.expect(')');
        return new Qresync(uidValidity, modSeq, known);
    }

    @Override
    public String name() {
        return readOnly ? "EXAMINE" : "SELECT";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_OR_SELECTED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        if (qresync != null && !session.qresyncEnabled()) {
            return CompletableFuture.completedFuture(StatusResponse.bad(tag,
                    "QRESYNC parameter without ENABLE QRESYNC (RFC 7162 section 3.2.3)"));
        }
        if (session.selected() != null) {
            session.send(StatusResponse.untaggedOk(ResponseCode.CLOSED, "Previous mailbox is now closed"));
        }
        session.deselect();
        if (condstore) {
            session.enableCondstore();
        }
        return session.onEventLoop(session.services().mailboxes().find(session.user(), mailbox))
                .thenCompose(found -> {
                    if (found.isEmpty()) {
                        return CompletableFuture.completedFuture(StatusResponse.no(tag, ResponseCode.NONEXISTENT,
                                "Mailbox does not exist"));
                    }
                    return session.onEventLoop(session.services().messages().snapshot(found.get()))
                            .thenCompose(snapshot -> claim(session, found.get())
                                    .thenCompose(recent -> open(session, found.get(), snapshot, recent)));
                });
    }

    /** SELECT claims {@code \Recent}; EXAMINE does not (RFC 3501 section 6.3.2). */
    private CompletionStage<RecentRange> claim(ImapSession session, Mailbox box) {
        return readOnly ? CompletableFuture.completedFuture(null)
                : session.onEventLoop(session.services().messages().claimRecent(box.id()));
    }

    private CompletionStage<StatusResponse> open(ImapSession session, Mailbox box, MailboxSnapshot snapshot,
                                                 RecentRange recent) {
        SelectedMailbox selected = SelectedMailbox.of(box, readOnly, snapshot);
        if (recent != null) {
            selected.addRecent(recent);
        }
        report(session, selected);
        session.select(selected);
        StatusResponse ok = StatusResponse.ok(tag, readOnly ? ResponseCode.READ_ONLY : ResponseCode.READ_WRITE,
                name() + " completed");
        if (qresync == null || qresync.uidValidity() != selected.uidValidity()) {
            return CompletableFuture.completedFuture(ok);
        }
        return session.onEventLoop(session.services().messages().changesSince(box.id(), qresync.modSeq()))
                .thenApply(changes -> {
                    if (session.selected() == selected) {
                        resync(session, selected, changes);
                    }
                    return ok;
                });
    }

    /** The QRESYNC part (RFC 7162 section 3.2.5.1): VANISHED (EARLIER), then the changed messages. */
    private void resync(ImapSession session, SelectedMailbox selected, MailboxChanges changes) {
        long star = Math.max(1, selected.uidNext() - 1);
        if (changes.vanishedComplete()) {
            List<Long> vanished = new ArrayList<>();
            for (long uid : changes.vanished()) {
                if (qresync.knownUids() == null || qresync.knownUids().contains(uid, star)) {
                    vanished.add(uid);
                }
            }
            if (!vanished.isEmpty()) {
                session.send(new VanishedResponse(vanished, true));
            }
        } else {
            SequenceSet known = qresync.knownUids();
            long[] ranges = known != null ? known.ranges(star) : new long[] {1, star};
            String absent = selected.absentUids(ranges);
            if (!absent.isEmpty()) {
                session.send(new VanishedResponse(absent, true));
            }
        }
        for (MessageRecord r : changes.changed()) {
            int msn = selected.msn(r.uid());
            if (msn == 0) {
                continue; // appended after the snapshot: the next refresh reports it as new
            }
            selected.setFlags(msn, r.flags());
            session.send(new FetchResponse(msn, List.of(new FetchItem.UidItem(r.uid()),
                    new FetchItem.FlagsItem(r.flags(), selected.recent(msn)), new FetchItem.ModSeqItem(r.modSeq()))));
        }
    }

    private void report(ImapSession session, SelectedMailbox selected) {
        session.send(new FlagsResponse(selected.definedFlags()));
        session.send(StatusResponse.untaggedOk(ResponseCode.permanentFlags(readOnly ? List.of() : PERMANENT,
                !readOnly), readOnly ? "No permanent flags permitted" : "Flags permitted"));
        session.send(new ExistsResponse(selected.exists()));
        session.send(new RecentResponse(selected.recentCount()));
        int unseen = selected.firstUnseen();
        if (unseen > 0) {
            session.send(StatusResponse.untaggedOk(ResponseCode.unseen(unseen), "First unseen"));
        }
        session.send(StatusResponse.untaggedOk(ResponseCode.uidValidity(selected.uidValidity()), "UIDs valid"));
        session.send(StatusResponse.untaggedOk(ResponseCode.uidNext(selected.uidNext()), "Predicted next UID"));
        // Always (RFC 7162 section 3.1.2.1); a never-changed mailbox has MessageStore.NEW_MAILBOX_MODSEQ.
        session.send(StatusResponse.untaggedOk(ResponseCode.highestModSeq(selected.highestModSeq()), "Highest"));
    }
}
