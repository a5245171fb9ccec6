package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.MailboxName;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * STATUS mailbox (items) (RFC 3501 section 6.3.10; items in {@link StatusItem}). Answers
 * {@code * STATUS name (item value ...)} from the store's exact counters, then {@code OK}; also for the mailbox
 * selected in this session (the counters include changes this session has not been told about yet).
 * {@code NO [NONEXISTENT]} for a name that is not a selectable mailbox; {@code BAD} for an empty or unknown
 * item list.
 *
 * @param mailbox the mailbox
 * @param items   the requested items, in the client's order, at least one
 */
public record StatusCommand(String tag, MailboxName mailbox, Set<StatusItem> items) implements ImapCommand {

    static StatusCommand parse(String tag, CommandReader args) throws ParseException {
        args.sp();
        MailboxName name = MailboxArgument.name(args.astring());
        args.sp();
        Set<StatusItem> items = StatusItem.parseList(args);
        args.end();
        return new StatusCommand(tag, name, items);
    }

    @Override
    public String name() {
        return "STATUS";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_OR_SELECTED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        return session.onEventLoop(session.services().mailboxes().find(session.user(), mailbox))
                .thenCompose(found -> {
                    if (found.isEmpty()) {
                        return CompletableFuture.completedFuture(StatusResponse.no(tag, ResponseCode.NONEXISTENT,
                                "Mailbox does not exist"));
                    }
                    return MailboxStatus.of(session, found.get(), items).thenApply(status -> {
                        session.send(status);
                        return StatusResponse.ok(tag, "STATUS completed");
                    });
                });
    }
}
