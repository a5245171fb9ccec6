package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.MailboxName;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * SUBSCRIBE and UNSUBSCRIBE mailbox (RFC 3501 sections 6.3.6 and 6.3.7). Both are idempotent. SUBSCRIBE accepts
 * a name that is not (or not yet) a mailbox, as the RFC allows: LSUB and {@code LIST (SUBSCRIBED)} then show it
 * as {@code \Noselect} / {@code \NonExistent}. Answers {@code OK}, or {@code NO [LIMIT]} beyond the account's
 * number of subscriptions.
 *
 * @param mailbox   the name
 * @param subscribe true for SUBSCRIBE, false for UNSUBSCRIBE
 */
public record SubscribeCommand(String tag, MailboxName mailbox, boolean subscribe) implements ImapCommand {

    static SubscribeCommand parse(String tag, CommandReader args, boolean subscribe) throws ParseException {
        args.sp();
        MailboxName name = MailboxArgument.name(args.astring());
        args.end();
        return new SubscribeCommand(tag, name, subscribe);
    }

    @Override
    public String name() {
        return subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_OR_SELECTED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        CompletionStage<Void> change = subscribe
                ? session.services().mailboxes().subscribe(session.user(), mailbox)
                : session.services().mailboxes().unsubscribe(session.user(), mailbox);
        return session.onEventLoop(change)
                .handle((done, error) -> error == null ? StatusResponse.ok(tag, name() + " completed")
                        : MailboxFailures.refusal(tag, error));
    }
}
