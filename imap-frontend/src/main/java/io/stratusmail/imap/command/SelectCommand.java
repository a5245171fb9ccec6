package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.ExistsResponse;
import io.stratusmail.imap.response.FlagsResponse;
import io.stratusmail.imap.response.RecentResponse;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.MailboxName;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SELECT and EXAMINE mailbox (RFC 3501 sections 6.3.1 and 6.3.2). Answers {@code * FLAGS},
 * {@code * OK [PERMANENTFLAGS]}, {@code * n EXISTS}, {@code * 0 RECENT}, {@code * OK [UNSEEN n]} (when a
 * message is unseen), {@code * OK [UIDVALIDITY]}, {@code * OK [UIDNEXT]}, {@code * OK [HIGHESTMODSEQ]}
 * (RFC 7162, once the mailbox had a change) and {@code tag OK [READ-WRITE]} or {@code [READ-ONLY]}; an unknown
 * mailbox gets {@code NO [NONEXISTENT]}. Any previously selected mailbox is deselected first, even when this
 * fails.
 *
 * <p>{@code \Recent} is not tracked by the store, so RECENT is always 0 and no message has {@code \Recent}.
 *
 * @param mailbox  the mailbox to open
 * @param readOnly true for EXAMINE
 */
public record SelectCommand(String tag, MailboxName mailbox, boolean readOnly) implements ImapCommand {

    private static final List<String> PERMANENT = List.of("\\Answered", "\\Flagged", "\\Deleted", "\\Seen",
            "\\Draft");

    static SelectCommand parse(String tag, CommandReader args, boolean readOnly) throws ParseException {
        args.sp();
        MailboxName name = MailboxArgument.name(args.astring());
        args.end();
        return new SelectCommand(tag, name, readOnly);
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
        session.deselect();
        return session.onEventLoop(session.services().mailboxes().find(session.user(), mailbox))
                .thenCompose(found -> {
                    if (found.isEmpty()) {
                        return CompletableFuture.completedFuture(StatusResponse.no(tag, ResponseCode.NONEXISTENT,
                                "Mailbox does not exist"));
                    }
                    return session.onEventLoop(session.services().messages().snapshot(found.get()))
                            .thenApply(snapshot -> {
                                SelectedMailbox selected = SelectedMailbox.of(found.get(), readOnly, snapshot);
                                report(session, selected);
                                session.select(selected);
                                return StatusResponse.ok(tag, readOnly ? ResponseCode.READ_ONLY
                                        : ResponseCode.READ_WRITE, name() + " completed");
                            });
                });
    }

    private void report(ImapSession session, SelectedMailbox selected) {
        session.send(new FlagsResponse(selected.definedFlags()));
        session.send(StatusResponse.untaggedOk(ResponseCode.permanentFlags(readOnly ? List.of() : PERMANENT,
                !readOnly), readOnly ? "No permanent flags permitted" : "Flags permitted"));
        session.send(new ExistsResponse(selected.exists()));
        session.send(new RecentResponse(0));
        int unseen = selected.firstUnseen();
        if (unseen > 0) {
            session.send(StatusResponse.untaggedOk(ResponseCode.unseen(unseen), "First unseen"));
        }
        session.send(StatusResponse.untaggedOk(ResponseCode.uidValidity(selected.uidValidity()), "UIDs valid"));
        session.send(StatusResponse.untaggedOk(ResponseCode.uidNext(selected.uidNext()), "Predicted next UID"));
        if (selected.highestModSeq() > 0) {
            session.send(StatusResponse.untaggedOk(ResponseCode.highestModSeq(selected.highestModSeq()),
                    "Highest"));
        }
    }
}
